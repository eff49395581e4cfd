namespace Qlip.ML.Training.Checkpointing;

/// <summary>
/// Where a run's checkpoints live (a local folder here; blobs under <c>checkpoints/{run}/</c> in the TrainerHost).
/// A checkpoint is complete exactly when its commit marker exists; the marker is written after every file, so a
/// crash mid-write leaves an incomplete checkpoint that <see cref="LatestAsync"/> ignores.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>The newest step with a commit marker, or null when there is none.</summary>
    Task<long?> LatestAsync(CancellationToken cancellationToken);

    /// <summary>Writes every file of the checkpoint for <paramref name="step"/>, then its commit marker.</summary>
    Task WriteAsync(long step, IReadOnlyList<CheckpointFile> files, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a file of a committed checkpoint as a seekable stream (the safetensors reader needs its length; a blob
    /// store buffers or downloads to a temp file); a missing checkpoint or file is an error naming both.
    /// </summary>
    Task<Stream> OpenReadAsync(long step, string name, CancellationToken cancellationToken);
}
