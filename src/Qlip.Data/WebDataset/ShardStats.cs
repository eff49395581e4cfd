using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qlip.Data.WebDataset;

/// <summary>
/// img2dataset's <c>NNNNNNNN_stats.json</c>: <c>count</c> samples tried, <c>successes</c> written, failures, and
/// <c>status_dict</c> (status or reason code → count). Timing fields are optional so output can be reproducible.
/// </summary>
public sealed record ShardStats
{
    /// <summary>Samples read from the input.</summary>
    [JsonPropertyName("count")] public int Count { get; init; }

    /// <summary>Samples written to the shard.</summary>
    [JsonPropertyName("successes")] public int Successes { get; init; }

    /// <summary>img2dataset: samples whose bytes could not be fetched.</summary>
    [JsonPropertyName("failed_to_download")] public int FailedToDownload { get; init; }

    /// <summary>img2dataset: samples that could not be decoded or resized.</summary>
    [JsonPropertyName("failed_to_resize")] public int FailedToResize { get; init; }

    /// <summary>Seconds spent, when recorded.</summary>
    [JsonPropertyName("duration")] public double? Duration { get; init; }

    /// <summary>Unix time the shard started, when recorded.</summary>
    [JsonPropertyName("start_time")] public double? StartTime { get; init; }

    /// <summary>Unix time the shard ended, when recorded.</summary>
    [JsonPropertyName("end_time")] public double? EndTime { get; init; }

    /// <summary>The input file the shard was made from, when it was ingested from one.</summary>
    [JsonPropertyName("source")] public string? Source { get; init; }

    /// <summary>Lower-case hex sha256 of the whole input file, when it was ingested from one.</summary>
    [JsonPropertyName("source_sha256")] public string? SourceSha256 { get; init; }

    /// <summary>Written samples that have no caption yet (a caption request was enqueued for them).</summary>
    [JsonPropertyName("needs_caption")] public int? NeedsCaption { get; init; }

    /// <summary>Status (<c>success</c> or a reason code) → count, sorted by key.</summary>
    [JsonPropertyName("status_dict")] public SortedDictionary<string, int> StatusDict { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Serialises to indented UTF-8 JSON (deterministic: fixed property order, sorted status keys).</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, DataJson.Context.ShardStats);

    /// <summary>Parses a stats file.</summary>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    public static ShardStats Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, DataJson.Context.ShardStats) ?? throw new JsonException("stats file is JSON null");
}
