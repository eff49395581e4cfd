using Qlip.Data.WebDataset;

namespace Qlip.Ingest.Sharding;

/// <summary>The result of <see cref="ShardIngester.IngestAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="ShardId">The output shard id; null when skipped.</param>
/// <param name="Stats">The shard's stats (read back when already done); null when skipped.</param>
/// <param name="Note">Why a file was skipped.</param>
public sealed record ShardIngestResult(ShardIngestOutcome Outcome, string? ShardId, ShardStats? Stats, string? Note = null);
