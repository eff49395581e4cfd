namespace Qlip.ML.Training.Data;

/// <summary>A training batch: owns its tensors (the trainer disposes it after the step) and knows its sample count.</summary>
public interface IBatch : IDisposable
{
    /// <summary>Number of samples (images) in the batch, for samples-seen and images/s.</summary>
    int Count { get; }
}
