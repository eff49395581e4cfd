namespace Qlip.ML.Training.Checkpointing;

/// <summary>A store for throw-away training (calibration probes): it holds nothing and writes nothing.</summary>
internal sealed class DiscardingCheckpointStore : ICheckpointStore
{
    public Task<long?> LatestAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public Task WriteAsync(long step, IReadOnlyList<CheckpointFile> files, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<Stream> OpenReadAsync(long step, string name, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"a discarding checkpoint store has no checkpoint {step}/{name}");
}
