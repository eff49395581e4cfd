using Qlip.Shared.Storage;

namespace Qlip.Shared.Checkpoints;

/// <summary>
/// How users and messages name a checkpoint: <c>run:{id}</c> (a completed run's published weights
/// <c>checkpoints/{id}/model.safetensors</c>, else the run's newest complete step checkpoint, so a running run serves too),
/// a blob path <c>{container}/{folder}[/model.safetensors]</c>, or a blob URL. Resolved against storage to the URL of
/// the folder's <c>model.safetensors</c>, the form <see cref="CheckpointCache{T}"/> and tokenize requests take.
/// </summary>
public static class CheckpointReference
{
    /// <summary>The prefix of a run reference.</summary>
    public const string RunPrefix = "run:";

    /// <summary>Why <paramref name="reference"/> cannot name a checkpoint, or null when it has a valid form.</summary>
    public static string? Problem(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference)) return "checkpoint reference is empty";
        if (reference.StartsWith(RunPrefix, StringComparison.Ordinal))
            return Try(() => BlobLayout.Checkpoint(reference[RunPrefix.Length..], CheckpointSteps.CommitMarker));
        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            return Try(() => CheckpointId.Parse(uri));
        return reference.Contains('/', StringComparison.Ordinal) && !reference.StartsWith('/')
            ? null
            : $"checkpoint '{reference}' is not run:<id>, a blob path <container>/<folder> or a blob URL";
    }

    /// <summary>The URL of the referenced checkpoint's <c>model.safetensors</c>.</summary>
    /// <exception cref="ArgumentException">The reference has no valid form.</exception>
    /// <exception cref="FileNotFoundException">A run reference whose run has no complete checkpoint yet.</exception>
    public static async Task<Uri> ResolveAsync(StorageClients clients, string reference, CancellationToken ct)
    {
        if (Problem(reference) is { } problem) throw new ArgumentException(problem, nameof(reference));
        if (reference.StartsWith(RunPrefix, StringComparison.Ordinal))
        {
            var runId = reference[RunPrefix.Length..];
            var published = clients.Blob(BlobLayout.Checkpoint(runId, CheckpointId.WeightsFile));
            if ((await published.ExistsAsync(ct)).Value) return published.Uri;
            var step = await CheckpointSteps.LatestAsync(clients, runId, ct)
                ?? throw new FileNotFoundException($"run '{runId}' has no complete checkpoint yet (no checkpoints/{runId}/step-*/{CheckpointSteps.CommitMarker})");
            return clients.Blob(CheckpointSteps.Blob(runId, step, CheckpointId.WeightsFile)).Uri;
        }
        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri)) return uri;
        var cut = reference.IndexOf('/', StringComparison.Ordinal);
        var container = clients.Blobs.GetBlobContainerClient(reference[..cut]);
        var name = reference[(cut + 1)..].TrimEnd('/');
        return container.GetBlobClient(name.EndsWith(".safetensors", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal)
            ? name : $"{name}/{CheckpointId.WeightsFile}").Uri;
    }

    private static string? Try(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
