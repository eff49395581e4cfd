using Qlip.ML.Training.Metrics;

namespace Qlip.ML.Training.Runs;

/// <summary>Passes rows on to another sink and keeps them, for the report's curves and final values.</summary>
public sealed class RecordingMetricsSink(IMetricsSink inner) : IMetricsSink
{
    private readonly List<MetricsRow> rows = [];

    /// <summary>Every row written so far (this session's only; a resumed run's earlier rows are in the JSONL).</summary>
    public IReadOnlyList<MetricsRow> Rows
    {
        get
        {
            lock (rows) return rows.ToList();
        }
    }

    /// <inheritdoc />
    public void Write(MetricsRow row)
    {
        inner.Write(row);
        lock (rows) rows.Add(row);
    }
}
