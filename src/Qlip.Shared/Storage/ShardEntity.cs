using Azure;
using Azure.Data.Tables;

namespace Qlip.Shared.Storage;

/// <summary>
/// A row of the <c>shards</c> table: PartitionKey = dataset, RowKey = shard id. Written by ingest (and later by the
/// caption and tokenize stages); read by <c>qlip shards list</c>.
/// </summary>
public sealed class ShardEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>One of <see cref="ShardStatus"/>.</summary>
    public string Status { get; set; } = ShardStatus.Ingesting;

    /// <summary>Samples in the shard (members grouped by key).</summary>
    public long Samples { get; set; }

    /// <summary>Samples usable for training (with an image).</summary>
    public long Successes { get; set; }

    /// <summary>Written samples without a caption yet (a caption request was enqueued for them).</summary>
    public long NeedsCaption { get; set; }

    /// <summary>Tar members (files) in the shard.</summary>
    public long Files { get; set; }

    /// <summary>The incoming blob's URL (never with a SAS).</summary>
    public string SourceUrl { get; set; } = "";

    public string SourceETag { get; set; } = "";

    public long SourceBytes { get; set; }

    /// <summary>SHA-256 of the incoming blob, lower-case hex.</summary>
    public string SourceSha256 { get; set; } = "";

    /// <summary>Why the shard failed, naming the member; empty otherwise.</summary>
    public string Error { get; set; } = "";

    /// <summary>The data set (the partition key).</summary>
    public string Dataset => PartitionKey;

    /// <summary>The eight-digit shard id (the row key).</summary>
    public string ShardId => RowKey;
}
