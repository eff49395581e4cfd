namespace Qlip.Shared.Storage;

/// <summary>The <c>Status</c> values of a row in the <c>shards</c> table.</summary>
public static class ShardStatus
{
    /// <summary>An ingest attempt is reading the shard.</summary>
    public const string Ingesting = "ingesting";

    /// <summary>Ingested: counts are final and the stats blob exists.</summary>
    public const string Ingested = "ingested";

    /// <summary>The shard cannot be ingested as it is (corrupt or truncated tar); <c>Error</c> says why.</summary>
    public const string Failed = "failed";
}
