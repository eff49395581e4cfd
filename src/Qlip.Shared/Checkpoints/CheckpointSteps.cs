using System.Globalization;
using Azure.Storage.Blobs.Models;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Checkpoints;

/// <summary>
/// A training run's checkpoints in blob storage: <c>checkpoints/{run}/step-{00000042}/{file}</c>, complete exactly when
/// the folder's <c>commit.json</c> exists (the trainer writes it after every other file).
/// </summary>
public static class CheckpointSteps
{
    /// <summary>The marker a complete checkpoint folder holds.</summary>
    public const string CommitMarker = "commit.json";

    private const string Prefix = "step-";

    /// <summary><c>step-00000042</c>.</summary>
    public static string Folder(long step) => Prefix + step.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The blob of <paramref name="file"/> in the checkpoint of <paramref name="step"/>: <c>checkpoints/{run}/step-N/{file}</c>.</summary>
    public static BlobPath Blob(string runId, long step, string file) => BlobLayout.CheckpointStep(runId, Folder(step), file);

    /// <summary>The newest complete checkpoint step of <paramref name="runId"/>, or null when it has none.</summary>
    public static async Task<long?> LatestAsync(StorageClients clients, string runId, CancellationToken ct)
    {
        var container = clients.Blobs.GetBlobContainerClient(StorageNames.Containers.Checkpoints);
        long? latest = null;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, BlobLayout.Checkpoint(runId, Prefix).Name, ct))
        {
            var parts = item.Name.Split('/');
            if (parts.Length == 3 && parts[2] == CommitMarker
                && long.TryParse(parts[1][Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var step))
                latest = Math.Max(latest ?? step, step);
        }
        return latest;
    }
}
