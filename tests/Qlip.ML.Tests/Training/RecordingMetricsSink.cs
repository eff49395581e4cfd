using Qlip.ML.Training.Metrics;

namespace Qlip.ML.Tests.Training;

/// <summary>Keeps rows in memory and optionally runs an action per row (e.g. cancel the run at a step, like SIGTERM).</summary>
public sealed class RecordingMetricsSink(Action<MetricsRow>? onRow = null) : IMetricsSink
{
    public List<MetricsRow> Rows { get; } = [];

    public void Write(MetricsRow row)
    {
        Rows.Add(row);
        onRow?.Invoke(row);
    }
}
