namespace Qlip.ML.Training.Metrics;

/// <summary>Writes every row to several sinks in order (e.g. the JSONL file and a live progress view).</summary>
public sealed class CompositeMetricsSink(params IReadOnlyList<IMetricsSink> sinks) : IMetricsSink
{
    /// <inheritdoc />
    public void Write(MetricsRow row)
    {
        foreach (var sink in sinks) sink.Write(row);
    }
}
