using System.Text.Json.Serialization;

namespace Qlip.Data.Tokens;

/// <summary>One tokens Parquet file of a manifest.</summary>
public sealed record TokensManifestFile(
    [property: JsonPropertyName("shard_id")] string ShardId,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("rows")] long Rows);
