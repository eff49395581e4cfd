using System.Globalization;
using Qlip.ML.Training.Metrics;

namespace Qlip.Cli.Demo;

/// <summary>Training progress as one plain line per logged step (step, loss, images/s), for logs that cannot redraw a table.</summary>
internal sealed class ProgressLines(long maxSteps) : IMetricsSink
{
    public void Write(MetricsRow row)
    {
        if (row.Kind == MetricsRow.Eval) return;
        // Rows of another kind are a run's preliminary phases, e.g. stage 1's calibration probes ("probe-recon").
        var what = row.Kind == MetricsRow.Train ? $"step {row.Step:N0}/{maxSteps:N0}" : $"{row.Kind} step {row.Step:N0}";
        var rate = row.Values.TryGetValue("images_per_s", out var ips) ? $", {ips:F0} images/s" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what} loss {row.Values.GetValueOrDefault("loss"):G4}{rate}"));
    }
}
