namespace Qlip.ML.Training.Data;

/// <summary>
/// An endless stream of batches with a resumable position. <see cref="Cursor"/> describes the position after the last
/// batch returned; <see cref="Restore"/> with it continues with exactly the batches that would have come next, so
/// shuffling must use the source's own seeded generator (never torch's global one, which the model's dropout uses).
/// </summary>
public interface IBatchSource<out TBatch> : IDisposable
    where TBatch : IBatch
{
    /// <summary>The next batch; the caller owns and disposes it.</summary>
    TBatch Next(CancellationToken cancellationToken);

    /// <summary>Opaque position after the last batch returned by <see cref="Next"/> (saved in <see cref="TrainState"/>).</summary>
    string Cursor { get; }

    /// <summary>Moves to a position previously read from <see cref="Cursor"/>.</summary>
    void Restore(string cursor);
}
