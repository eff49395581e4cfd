namespace Qlip.ML.Training.Metrics;

/// <summary>One line of <c>metrics.jsonl</c>: a step, a kind (<c>train</c> or <c>eval</c>) and named values.</summary>
/// <param name="Step">Optimizer steps completed when the row was written.</param>
/// <param name="Kind"><c>train</c> (loss terms, lr, grad norm, timings) or <c>eval</c> (evaluator metrics).</param>
/// <param name="Values">Named values, e.g. <c>loss</c>, <c>loss/mse</c>, <c>lr/default/decay</c>, <c>grad_norm</c>, <c>ms_per_step</c>, <c>images_per_s</c>.</param>
public sealed record MetricsRow(long Step, string Kind, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>Kind of the rows the training loop writes.</summary>
    public const string Train = "train";

    /// <summary>Kind of the rows evaluation writes.</summary>
    public const string Eval = "eval";
}
