namespace Qlip.Ingest.Dedup;

/// <summary>The shard and sample key that claimed an image first in its data set.</summary>
public sealed record ImageOwner(string ShardId, string Key);
