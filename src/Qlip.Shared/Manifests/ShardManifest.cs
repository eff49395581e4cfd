using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qlip.Shared.Manifests;

/// <summary>
/// <c>shards/{dataset}/manifest.json</c>: the data set's ingested shards, sorted by id, and their sample counts — what a
/// trainer reads to plan epochs. Example:
/// <code>
/// {"version":1,"dataset":"fmnist","total_samples":2000,"shards":[
///   {"id":"00000000","tar":"shards/fmnist/00000000.tar","parquet":"shards/fmnist/00000000.parquet",
///    "stats":"shards/fmnist/00000000_stats.json","samples":1000,"needs_caption":0,
///    "source":"00000000.tar","source_sha256":"9f…"}, …]}
/// </code>
/// Paths are <c>container/blob</c> in the same storage account. A shard appears once its tar and parquet are written.
/// </summary>
public sealed record ShardManifest
{
    /// <summary>The layout version readers check; <see cref="CurrentVersion"/> today.</summary>
    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;

    /// <summary>The data set name.</summary>
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }

    /// <summary>Sum of <see cref="ShardManifestEntry.Samples"/>.</summary>
    [JsonPropertyName("total_samples")] public long TotalSamples { get; init; }

    /// <summary>The shards, sorted by id.</summary>
    [JsonPropertyName("shards")] public IReadOnlyList<ShardManifestEntry> Shards { get; init; } = [];

    /// <summary>The manifest layout this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>This manifest with <paramref name="entry"/> added or replacing the entry of the same id, re-sorted and re-totalled.</summary>
    public ShardManifest With(ShardManifestEntry entry)
    {
        var shards = Shards.Where(s => s.Id != entry.Id).Append(entry).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        return this with { Shards = shards, TotalSamples = shards.Sum(s => s.Samples) };
    }

    /// <summary>Indented UTF-8 JSON.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ManifestJsonContext.Default.ShardManifest);

    /// <summary>Parses a manifest.</summary>
    /// <exception cref="JsonException">Malformed JSON, or a version this code does not read.</exception>
    public static ShardManifest Parse(ReadOnlySpan<byte> json)
    {
        var manifest = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ShardManifest)
                       ?? throw new JsonException("manifest.json is JSON null");
        return manifest.Version == CurrentVersion
            ? manifest
            : throw new JsonException($"manifest.json has version {manifest.Version}; this code reads version {CurrentVersion}");
    }
}
