using Azure.Storage.Blobs;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// The id a tokens dataset is filed under (<c>tokens/{dataset}/{checkpointId}/</c>): the name of the folder that holds
/// the checkpoint's <c>model.safetensors</c> and <c>config.json</c>. A checkpoint is written once under
/// <c>checkpoints/{run}/</c> and never changed, so the folder name names its weights. The URI may point at either file
/// or at the folder itself (trailing slash).
/// </summary>
public static class CheckpointId
{
    /// <summary>The checkpoint's folder as (container, folder prefix without trailing slash, id).</summary>
    /// <exception cref="ArgumentException">The URI has no folder under its container.</exception>
    public static (string Container, string Folder, string Id) Parse(Uri checkpointUri)
    {
        var parts = new BlobUriBuilder(checkpointUri);
        var name = parts.BlobName.TrimEnd('/');
        var file = name[(name.LastIndexOf('/') + 1)..];
        if (file.EndsWith(".safetensors", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal))
            name = name.Contains('/') ? name[..name.LastIndexOf('/')] : "";
        if (parts.BlobContainerName.Length == 0 || name.Length == 0)
            throw new ArgumentException(
                $"checkpoint '{checkpointUri}' is not a checkpoint folder (expected …/{{container}}/{{folder}}/model.safetensors)", nameof(checkpointUri));
        return (parts.BlobContainerName, name, name[(name.LastIndexOf('/') + 1)..]);
    }

    /// <summary>The id of <paramref name="checkpointUri"/> (its folder name).</summary>
    public static string Of(Uri checkpointUri) => Parse(checkpointUri).Id;
}
