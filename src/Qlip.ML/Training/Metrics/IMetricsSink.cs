namespace Qlip.ML.Training.Metrics;

/// <summary>Where metrics rows go: a local <c>metrics.jsonl</c>, a blob, a console progress view.</summary>
public interface IMetricsSink
{
    /// <summary>Records one row; called on the training thread.</summary>
    void Write(MetricsRow row);
}
