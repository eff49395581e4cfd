namespace Qlip.Ingest.Scanning;

/// <summary>What one pass over a shard found.</summary>
/// <param name="Samples">Samples (tar members grouped by key).</param>
/// <param name="Successes">Samples with an image.</param>
/// <param name="Files">Tar members.</param>
/// <param name="StatusCounts">Reason code (<c>success</c>, <c>no_image</c>) → samples.</param>
/// <param name="Sha256">SHA-256 of the whole tar, lower-case hex.</param>
public sealed record ShardScan(long Samples, long Successes, long Files, SortedDictionary<string, int> StatusCounts, string Sha256);
