namespace Qlip.Ingest.Sharding;

/// <summary>The <c>Status</c> values of a shard's row in the <c>shards</c> table.</summary>
public static class ShardStatus
{
    public const string Ingesting = "ingesting";
    public const string Ingested = "ingested";
}
