using System.Text.Json.Serialization;

namespace Qlip.Data.Captions;

/// <summary>
/// One row of a shard's captions parquet (<c>shards/{dataset}/captions/{shardId}.parquet</c>): the generated caption
/// next to the original alt-text, or the reason code of a sample the backend could not caption.
/// </summary>
public sealed class CaptionRow
{
    /// <summary>Sample key in the shard.</summary>
    [JsonPropertyName("key")] public string Key { get; set; } = "";

    /// <summary><c>success</c>, or a failure reason code (<c>timeout</c>, <c>malformed_response</c>, …).</summary>
    [JsonPropertyName("status")] public string Status { get; set; } = CaptionRow.Success;

    /// <summary>The generated caption; null when captioning failed.</summary>
    [JsonPropertyName("caption")] public string? Caption { get; set; }

    /// <summary>The backend name, e.g. <c>openai</c> or <c>zero-shot</c>.</summary>
    [JsonPropertyName("backend")] public string Backend { get; set; } = "";

    /// <summary>The model that wrote the caption (as the endpoint reported it, or the checkpoint name).</summary>
    [JsonPropertyName("model")] public string Model { get; set; } = "";

    /// <summary>The backend's confidence in [0, 1], where it has one (zero-shot: the top label's probability).</summary>
    [JsonPropertyName("confidence")] public float? Confidence { get; set; }

    /// <summary>The sample's original alt-text, kept so training can mix both.</summary>
    [JsonPropertyName("original_caption")] public string? OriginalCaption { get; set; }

    /// <summary>What went wrong for a failed sample.</summary>
    [JsonPropertyName("error_message")] public string? ErrorMessage { get; set; }

    /// <summary>The status of a captioned sample.</summary>
    public const string Success = "success";
}
