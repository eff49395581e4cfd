namespace Qlip.ML.Training;

/// <summary>How a <see cref="Trainer{TBatch}"/> run ended.</summary>
/// <param name="State">The final state (also in the last checkpoint).</param>
/// <param name="Cancelled">True when cancellation stopped the run before <see cref="TrainerOptions.MaxSteps"/>; it was checkpointed.</param>
/// <param name="DataWaitFraction">Fraction of the wall time of this session's steps spent waiting for the batch source.</param>
public sealed record TrainResult(TrainState State, bool Cancelled, double DataWaitFraction);
