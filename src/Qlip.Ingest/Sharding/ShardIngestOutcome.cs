namespace Qlip.Ingest.Sharding;

/// <summary>What an ingest call did.</summary>
public enum ShardIngestOutcome
{
    /// <summary>The shard was written (tar, parquet, sizes, manifest, stats).</summary>
    Ingested,
    /// <summary>Its stats file already existed: an earlier delivery finished it; nothing was touched.</summary>
    AlreadyDone,
    /// <summary>The file is not a shard (stats, sizes.json, img2dataset's metadata parquet next to a tar…).</summary>
    Skipped,
}
