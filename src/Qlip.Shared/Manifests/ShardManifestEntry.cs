using System.Text.Json.Serialization;

namespace Qlip.Shared.Manifests;

/// <summary>One ingested shard in a <see cref="ShardManifest"/>.</summary>
public sealed record ShardManifestEntry
{
    /// <summary>Eight-digit shard id, e.g. <c>00000003</c>.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>The webdataset tar, as <c>container/name</c>: <c>shards/{dataset}/{id}.tar</c>.</summary>
    [JsonPropertyName("tar")] public required string Tar { get; init; }

    /// <summary>The per-sample metadata parquet (every input sample with its status).</summary>
    [JsonPropertyName("parquet")] public required string Parquet { get; init; }

    /// <summary>The stats file (the shard's done marker).</summary>
    [JsonPropertyName("stats")] public required string Stats { get; init; }

    /// <summary>Samples in the tar.</summary>
    [JsonPropertyName("samples")] public required long Samples { get; init; }

    /// <summary>Samples in the tar without a caption yet (a caption request is pending for them).</summary>
    [JsonPropertyName("needs_caption")] public long NeedsCaption { get; init; }

    /// <summary>The incoming file name the shard was made from.</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>Lower-case hex sha256 of the incoming file.</summary>
    [JsonPropertyName("source_sha256")] public required string SourceSha256 { get; init; }
}
