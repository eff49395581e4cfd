using System.Text.Json;
using Azure.Storage.Blobs;
using Qlip.ML.Training.Checkpointing;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Storage;

/// <summary>
/// A run's checkpoints as blobs: <c>checkpoints/{run}/step-{00000042}/{file}</c>, the <c>commit.json</c> marker written
/// after every file, so a checkpoint is complete exactly when its marker exists.
/// </summary>
public sealed class BlobCheckpointStore(StorageClients clients, string runId) : ICheckpointStore
{
    /// <summary>The blob of <paramref name="name"/> in the checkpoint of <paramref name="step"/>.</summary>
    public BlobClient Blob(long step, string name) => clients.Blob(CheckpointSteps.Blob(runId, step, name));

    /// <inheritdoc />
    public Task<long?> LatestAsync(CancellationToken cancellationToken) => CheckpointSteps.LatestAsync(clients, runId, cancellationToken);

    /// <inheritdoc />
    public async Task WriteAsync(long step, IReadOnlyList<CheckpointFile> files, CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            using var buffer = new MemoryStream();
            await file.WriteTo(buffer, cancellationToken);
            buffer.Position = 0;
            sizes[file.Name] = buffer.Length;
            await Blob(step, file.Name).UploadAsync(buffer, overwrite: true, cancellationToken);
        }
        var marker = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["step"] = step, ["files"] = sizes });
        await Blob(step, LocalFolderCheckpointStore.CommitMarker).UploadAsync(new BinaryData(marker), overwrite: true, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(long step, string name, CancellationToken cancellationToken)
    {
        if (!(await Blob(step, LocalFolderCheckpointStore.CommitMarker).ExistsAsync(cancellationToken)).Value)
            throw new FileNotFoundException($"checkpoint step {step} of run {runId} is missing or incomplete (no {LocalFolderCheckpointStore.CommitMarker})");
        var blob = Blob(step, name);
        if (!(await blob.ExistsAsync(cancellationToken)).Value) throw new FileNotFoundException($"checkpoint step {step} of run {runId} has no file '{name}'", blob.Uri.ToString());
        var buffer = new MemoryStream();  // seekable, as the safetensors reader needs
        await blob.DownloadToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        return buffer;
    }
}
