namespace Qlip.Ingest.Reading;

/// <summary>Picks the reader for an incoming file by its name; null for files that are not shards (stats, sizes.json…).</summary>
public static class ShardReaders
{
    /// <summary>
    /// <c>*.tar</c>, <c>*.tar.gz</c>, <c>*.tgz</c> → webdataset (SA-1B when the name starts with <c>sa_</c>);
    /// <c>*.parquet</c> → Hugging Face-style parquet whose generated keys start with <paramref name="shardId"/>.
    /// </summary>
    public static IShardReader? For(string fileName, string shardId, long maxMemberBytes)
    {
        var name = fileName.ToLowerInvariant();
        var gzip = name.EndsWith(".tar.gz", StringComparison.Ordinal) || name.EndsWith(".tgz", StringComparison.Ordinal);
        if (gzip || name.EndsWith(".tar", StringComparison.Ordinal))
            return name.StartsWith("sa_", StringComparison.Ordinal) ? new Sa1bShardReader(gzip, maxMemberBytes) : new WebDatasetShardReader(gzip, maxMemberBytes);
        return name.EndsWith(".parquet", StringComparison.Ordinal) ? new ParquetShardReader(shardId) : null;
    }
}
