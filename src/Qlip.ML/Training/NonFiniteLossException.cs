namespace Qlip.ML.Training;

/// <summary>
/// Thrown when a loss term or the gradient norm is NaN or ±∞. The step's update is not applied and no checkpoint is
/// written, so the newest checkpoint is the last good state.
/// </summary>
public sealed class NonFiniteLossException : Exception
{
    /// <summary>Creates the exception for <paramref name="step"/> with the offending values.</summary>
    public NonFiniteLossException(long step, IReadOnlyDictionary<string, double> values, long? lastCheckpointStep)
        : base($"Non-finite loss at step {step}: {string.Join(", ", values.Where(v => !double.IsFinite(v.Value)).Select(v => $"{v.Key} = {v.Value}"))}. " +
               $"Training stopped without applying the update; the last good checkpoint is {(lastCheckpointStep is { } s ? $"step {s}" : "none")}.")
    {
        Step = step;
        Values = values;
        LastCheckpointStep = lastCheckpointStep;
    }

    /// <summary>The 0-based step whose loss was not finite.</summary>
    public long Step { get; }

    /// <summary>Every term's value at that step (the non-finite ones are named in the message).</summary>
    public IReadOnlyDictionary<string, double> Values { get; }

    /// <summary>The newest committed checkpoint, if any.</summary>
    public long? LastCheckpointStep { get; }
}
