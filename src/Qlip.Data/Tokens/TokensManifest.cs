using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qlip.Data.Tokens;

/// <summary>
/// The manifest of a tokens dataset: which Parquet files exist and how many rows each holds. Written after every
/// shard file it lists, so a reader never sees a listed file that is not complete.
/// </summary>
public sealed record TokensManifest
{
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    [JsonPropertyName("checkpoint")] public required string Checkpoint { get; init; }
    [JsonPropertyName("bits")] public int Bits { get; init; }
    [JsonPropertyName("grid_h")] public int GridH { get; init; }
    [JsonPropertyName("grid_w")] public int GridW { get; init; }

    /// <summary>
    /// The checkpoint blob the files were made with (no query string), so a service that changes their inputs (the
    /// caption service) can queue them again; null in manifests written before it was recorded.
    /// </summary>
    [JsonPropertyName("checkpoint_uri")] public Uri? CheckpointUri { get; init; }

    /// <summary>Files sorted by shard id; paths are relative to the manifest's folder.</summary>
    [JsonPropertyName("files")] public required IReadOnlyList<TokensManifestFile> Files { get; init; }

    [JsonIgnore] public long TotalRows => Files.Sum(f => f.Rows);

    /// <summary>This manifest with <paramref name="file"/> added or replaced (same shard id: re-tokenized).</summary>
    public TokensManifest With(TokensManifestFile file) => this with
    {
        Files = [.. Files.Where(f => f.ShardId != file.ShardId).Append(file).OrderBy(f => f.ShardId, StringComparer.Ordinal)],
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, TokensJson.Default.TokensManifest);

    public static TokensManifest FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, TokensJson.Default.TokensManifest)
        ?? throw new InvalidDataException("tokens manifest: empty JSON");
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(TokensManifest))]
internal sealed partial class TokensJson : JsonSerializerContext;
