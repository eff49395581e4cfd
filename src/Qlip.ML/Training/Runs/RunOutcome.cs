namespace Qlip.ML.Training.Runs;

/// <summary>How a run ended and what it measured.</summary>
/// <param name="State">The final state (also in the last checkpoint).</param>
/// <param name="Cancelled">Stopped by the caller (shutdown or cancel) before its budget: checkpointed, no report.</param>
/// <param name="StoppedByTimeBudget">The wall-clock budget ended the run before <see cref="RunSpec.MaxSteps"/>.</param>
/// <param name="Evaluation">The final evaluation metrics (empty when cancelled).</param>
/// <param name="DataWaitFraction">Fraction of step time spent waiting for data.</param>
public sealed record RunOutcome(TrainState State, bool Cancelled, bool StoppedByTimeBudget,
    IReadOnlyDictionary<string, double> Evaluation, double DataWaitFraction);
