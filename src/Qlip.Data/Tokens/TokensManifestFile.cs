using System.Text.Json.Serialization;

namespace Qlip.Data.Tokens;

/// <summary>One tokens Parquet file of a manifest.</summary>
/// <param name="CaptionsDigest">The <c>ShardCaptions.Digest</c> of the recaptions the file's captions were chosen from
/// (null in manifests written before it was recorded): when the shard's captions parquet has another digest, the file is stale.</param>
public sealed record TokensManifestFile(
    [property: JsonPropertyName("shard_id")] string ShardId,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("captions_sha256")] string? CaptionsDigest = null);
