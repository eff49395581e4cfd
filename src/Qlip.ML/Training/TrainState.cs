namespace Qlip.ML.Training;

/// <summary>
/// The loop's position, saved with the weights and optimizer state so a resumed run reproduces the same bits:
/// optimizer steps done, samples seen, torch's global generator state and the data cursor after the last batch used.
/// </summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="SamplesSeen">Samples consumed (all micro-batches).</param>
/// <param name="RngState">Bytes of <c>torch.get_rng_state()</c> after the last step (dropout and any torch sampling).</param>
/// <param name="DataCursor">The batch source's <see cref="Data.IBatchSource{TBatch}.Cursor"/> after the last batch used.</param>
public sealed record TrainState(long Step, long SamplesSeen, byte[] RngState, string DataCursor)
{
    /// <summary>
    /// Values the run kind fixed before step 0 (e.g. stage 1's calibrated loss weights), saved with every checkpoint so
    /// a resumed run reuses them instead of recomputing them (null in checkpoints written before they existed).
    /// </summary>
    public IReadOnlyDictionary<string, string>? RunValues { get; init; }
}
