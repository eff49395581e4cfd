using System.Globalization;
using System.Text;

namespace Qlip.Cli.Demo;

/// <summary>Writes <c>report.md</c>: every number in it comes from the run that wrote it.</summary>
internal static class DemoReport
{
    public static string Render(DemoSummary summary)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# Qlip demo report").AppendLine();
        md.AppendLine(inv, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {(summary.Plan.Quick ? "`--quick`" : "full")} budget, " +
                           $"{Environment.ProcessorCount} cores. Inputs are real packaged data (Fashion-MNIST, Noto emoji, openclipart).").AppendLine();

        md.AppendLine("## Pipeline counts").AppendLine();
        md.AppendLine("| data set | shards ingested | samples | kept (with image) | rejected | need a caption |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var d in summary.Datasets)
            md.AppendLine(inv, $"| {d.Dataset} | {d.DoneShards}/{d.Shards} | {d.Samples:N0} | {d.Successes:N0} | {d.Rejected.Values.Sum():N0} | {d.NeedsCaption:N0} |");
        var reasons = summary.Datasets.SelectMany(d => d.Rejected.Select(r => (d.Dataset, r.Key, r.Value))).ToList();
        md.AppendLine().AppendLine("Rejected samples by reason: " + (reasons.Count == 0
            ? "none."
            : string.Join(", ", reasons.Select(r => $"`{r.Key}` {r.Value:N0} ({r.Dataset})")) + "."));
        md.AppendLine();

        md.AppendLine("## Throughput").AppendLine();
        md.AppendLine("| stage | items | time | rate |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var s in summary.Stages)
            md.AppendLine(inv, $"| {s.Stage} | {s.Items:N0} {s.Unit} | {s.Elapsed.TotalSeconds:F1} s | {s.PerSecond:N0} {s.Unit}/s |");
        md.AppendLine();

        md.AppendLine("## Queues").AppendLine();
        md.AppendLine(summary.PendingMessages.Count == 0
            ? "Every work queue was empty at the end of the run."
            : "Messages left at the end (in `-poison` queues after five failed attempts, in queues without an in-process worker, " +
              "or not drained in time; `qlip dev status` shows them): " +
              string.Join(", ", summary.PendingMessages.Select(p => $"`{p.Key}` {p.Value:N0}")) + ".");
        md.AppendLine().AppendLine("Clean shards are in the `shards` container of the local Azurite (`qlip shards list --dataset NAME`); " +
                                   "`qlip dev down` stops the emulator.");
        return md.ToString();
    }
}
