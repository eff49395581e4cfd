using Azure.Storage.Blobs;

namespace Qlip.Shared.Checkpoints;

/// <summary>
/// The id a tokens dataset is filed under (<c>tokens/{dataset}/{checkpointId}/</c>): the name of the folder that holds
/// the checkpoint's <c>model.safetensors</c> and <c>config.json</c>. A checkpoint is written once under
/// <c>checkpoints/{run}/</c> and never changed, so the folder name names its weights; a training run's step folder
/// (<c>checkpoints/{run}/step-00000300</c>) is named with its run (<c>{run}-step-00000300</c>), so the step-300
/// checkpoints of two runs never share a tokens folder. The URI may point at either file or at the folder itself
/// (trailing slash).
/// </summary>
public static class CheckpointId
{
    /// <summary>The architecture file of a checkpoint folder (Qlip.ML's <c>QlipCheckpoint.ConfigFile</c>).</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The weights file of a checkpoint folder (Qlip.ML's <c>QlipCheckpoint.WeightsFile</c>).</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>Hugging Face's preprocessing file, optional (Qlip.ML's <c>CheckpointPreprocessing.HuggingFaceFile</c>).</summary>
    public const string HuggingFacePreprocessorFile = "preprocessor_config.json";

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
        var segments = name.Split('/');
        var id = segments is [.., var run, var step] && step.StartsWith("step-", StringComparison.Ordinal) ? $"{run}-{step}" : segments[^1];
        return (parts.BlobContainerName, name, id);
    }

    /// <summary>The id of <paramref name="checkpointUri"/> (its folder name).</summary>
    public static string Of(Uri checkpointUri) => Parse(checkpointUri).Id;
}
