using System.Text.RegularExpressions;
using Azure.Storage.Blobs;

namespace Qlip.Shared.Storage;

/// <summary>
/// Every blob path the pipeline reads or writes, built in one place (see architecture.md, "Storage layout").
/// Shard ids are eight-digit zero-padded numbers as img2dataset writes them (<c>00000042</c>).
/// </summary>
public static partial class BlobLayout
{
    /// <summary>A file dropped for ingest: <c>incoming/{dataset}/{fileName}</c>.</summary>
    public static BlobPath Incoming(string dataset, string fileName) =>
        new(StorageNames.Containers.Incoming, $"{Segment(dataset, nameof(dataset))}/{Segment(fileName, nameof(fileName))}");

    /// <summary>The prefix under which a data set's incoming files are listed.</summary>
    public static string IncomingPrefix(string dataset) => $"{Segment(dataset, nameof(dataset))}/";

    /// <summary>The shard id for a shard index: <c>00000042</c>.</summary>
    public static string ShardId(int index) =>
        index >= 0 ? index.ToString("D8") : throw new ArgumentOutOfRangeException(nameof(index), index, "must be >= 0");

    /// <summary>An ingested webdataset shard: <c>shards/{dataset}/{shardId}.tar</c>.</summary>
    public static BlobPath ShardTar(string dataset, string shardId) => Shard(dataset, $"{Segment(shardId, nameof(shardId))}.tar");

    /// <summary>A shard's per-sample metadata: <c>shards/{dataset}/{shardId}.parquet</c>.</summary>
    public static BlobPath ShardParquet(string dataset, string shardId) => Shard(dataset, $"{Segment(shardId, nameof(shardId))}.parquet");

    /// <summary>A shard's stats, written last: the shard is done exactly when it exists (img2dataset's rule).</summary>
    public static BlobPath ShardStats(string dataset, string shardId) => Shard(dataset, $"{Segment(shardId, nameof(shardId))}_stats.json");

    /// <summary>Sample counts per shard of a data set: <c>shards/{dataset}/sizes.json</c>.</summary>
    public static BlobPath Sizes(string dataset) => Shard(dataset, "sizes.json");

    /// <summary>The list of a data set's shards and their counts: <c>shards/{dataset}/manifest.json</c>.</summary>
    public static BlobPath ShardManifest(string dataset) => Shard(dataset, "manifest.json");

    /// <summary>Captions added to a shard: <c>shards/{dataset}/captions/{shardId}.parquet</c>.</summary>
    public static BlobPath Captions(string dataset, string shardId) =>
        Shard(dataset, $"captions/{Segment(shardId, nameof(shardId))}.parquet");

    /// <summary>A shard's visual tokens from one checkpoint: <c>tokens/{dataset}/{checkpoint}/{shardId}.parquet</c>.</summary>
    public static BlobPath Tokens(string dataset, string checkpoint, string shardId) =>
        new(StorageNames.Containers.Tokens,
            $"{Segment(dataset, nameof(dataset))}/{Segment(checkpoint, nameof(checkpoint))}/{Segment(shardId, nameof(shardId))}.parquet");

    /// <summary>The tokens manifest of a data set and checkpoint.</summary>
    public static BlobPath TokensManifest(string dataset, string checkpoint) =>
        new(StorageNames.Containers.Tokens,
            $"{Segment(dataset, nameof(dataset))}/{Segment(checkpoint, nameof(checkpoint))}/manifest.json");

    /// <summary>A file of a run's checkpoints: <c>checkpoints/{run}/{fileName}</c>.</summary>
    public static BlobPath Checkpoint(string runId, string fileName) =>
        new(StorageNames.Containers.Checkpoints, $"{Segment(runId, nameof(runId))}/{Segment(fileName, nameof(fileName))}");

    /// <summary>A file of one checkpoint of a run: <c>checkpoints/{run}/{stepFolder}/{fileName}</c> (<c>step-00000042</c>).</summary>
    public static BlobPath CheckpointStep(string runId, string stepFolder, string fileName) =>
        new(StorageNames.Containers.Checkpoints,
            $"{Segment(runId, nameof(runId))}/{Segment(stepFolder, nameof(stepFolder))}/{Segment(fileName, nameof(fileName))}");

    /// <summary>A run's own files (metrics.jsonl, report.md, plots): <c>runs/{run}/{fileName}</c>.</summary>
    public static BlobPath Run(string runId, string fileName) =>
        new(StorageNames.Containers.Runs, $"{Segment(runId, nameof(runId))}/{Segment(fileName, nameof(fileName))}");

    /// <summary>A run's metrics rows, one JSON object per line.</summary>
    public static BlobPath RunMetrics(string runId) => Run(runId, "metrics.jsonl");

    /// <summary>A run's human-readable report.</summary>
    public static BlobPath RunReport(string runId) => Run(runId, "report.md");

    /// <summary>
    /// Reads a blob URL (Azure or Azurite's path style) as an incoming file; null when it is not directly under
    /// <c>incoming/{dataset}/</c>.
    /// </summary>
    public static IncomingBlob? ParseIncoming(Uri blobUrl)
    {
        var parts = new BlobUriBuilder(blobUrl);
        if (parts.BlobContainerName != StorageNames.Containers.Incoming) return null;
        var segments = parts.BlobName.Split('/');
        return segments.Length == 2 && IsSegment(segments[0]) && IsSegment(segments[1])
            ? new IncomingBlob(segments[0], segments[1])
            : null;
    }

    private static BlobPath Shard(string dataset, string name) =>
        new(StorageNames.Containers.Shards, $"{Segment(dataset, nameof(dataset))}/{name}");

    private static string Segment(string value, string name) =>
        IsSegment(value)
            ? value
            : throw new ArgumentException(
                $"'{value}' is not a valid {name}: use letters, digits, '.', '_' or '-' (1-128 characters, no '..')", name);

    private static bool IsSegment(string value) => SegmentPattern().IsMatch(value) && !value.Contains("..");

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex SegmentPattern();
}
