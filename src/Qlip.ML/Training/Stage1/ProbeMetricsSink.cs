using Qlip.ML.Training.Metrics;

namespace Qlip.ML.Training.Stage1;

/// <summary>Passes a probe's training rows on under the probe's kind and keeps the curve of one loss term.</summary>
internal sealed class ProbeMetricsSink(IMetricsSink inner, string kind, string term) : IMetricsSink
{
    private readonly SortedDictionary<long, double> curve = [];

    /// <summary>The term's value by step.</summary>
    public IReadOnlyDictionary<long, double> Curve => curve;

    public void Write(MetricsRow row)
    {
        if (row.Kind != MetricsRow.Train) return;
        if (row.Values.TryGetValue(term, out var value)) curve[row.Step] = value;
        inner.Write(row with { Kind = kind });
    }
}
