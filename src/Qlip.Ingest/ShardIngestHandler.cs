using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Qlip.Data.WebDataset;
using Qlip.Ingest.Scanning;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.Ingest;

/// <summary>
/// Ingests one shard dropped under <c>incoming/{dataset}/</c>: streams the tar from its blob, counts its samples,
/// writes the shard's row in the <c>shards</c> table and then, last, its stats blob
/// (<c>shards/{dataset}/{id}_stats.json</c>, img2dataset's format), which marks the shard done. A redelivered event
/// for the same blob version finds the stats and does nothing; a new upload of the shard is ingested again.
/// </summary>
public sealed partial class ShardIngestHandler(StorageClients clients, ShardScanner scanner, ILogger<ShardIngestHandler> logger)
    : IQueueHandler<BlobCreatedEvent>
{
    /// <summary>Metadata on the stats blob naming the source version it describes.</summary>
    public const string SourceETagMetadata = "sourceetag";

    public async Task HandleAsync(BlobCreatedEvent message, QueueMessageContext context, CancellationToken ct)
    {
        var url = message.Data.Url.GetLeftPart(UriPartial.Path);
        var incoming = BlobLayout.ParseIncoming(message.Data.Url);
        if (incoming is null || incoming.Extension != "tar")
        {
            LogNotAShard(url);
            return;
        }
        var source = clients.Blob(incoming.Path);
        BlobProperties properties;
        try
        {
            properties = await source.GetPropertiesAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            LogSourceGone(incoming.Dataset, incoming.ShardId, url);
            return;
        }
        var stats = clients.Blob(BlobLayout.ShardStats(incoming.Dataset, incoming.ShardId));
        var sourceETag = properties.ETag.ToString();
        if (await DescribesAsync(stats, sourceETag, ct))
        {
            LogAlreadyIngested(incoming.Dataset, incoming.ShardId, context.DequeueCount);
            return;
        }

        var table = clients.Table(StorageNames.Tables.Shards);
        var row = new ShardEntity
        {
            PartitionKey = incoming.Dataset,
            RowKey = incoming.ShardId,
            Status = ShardStatus.Ingesting,
            SourceUrl = url,
            SourceETag = sourceETag,
            SourceBytes = properties.ContentLength,
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);

        var started = DateTimeOffset.UtcNow;
        ShardScan scan;
        try
        {
            // If-Match: a shard replaced while we read it fails this attempt; the retry reads the new version.
            var read = new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } };
            await using var tar = await source.OpenReadAsync(read, ct);
            scan = await scanner.ScanAsync(tar, ct);
        }
        catch (WebDatasetFormatException e)
        {
            row.Status = ShardStatus.Failed;
            row.Error = $"{incoming.Path}: {e.Message}";
            await table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
            LogShardFailed(incoming.Dataset, incoming.ShardId, row.Error);
            return;
        }
        var ended = DateTimeOffset.UtcNow;

        row.Status = ShardStatus.Ingested;
        row.Samples = scan.Samples;
        row.Successes = scan.Successes;
        row.Files = scan.Files;
        row.SourceSha256 = scan.Sha256;
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);

        var shardStats = new ShardStats
        {
            Count = checked((int)scan.Samples),
            Successes = checked((int)scan.Successes),
            Duration = (ended - started).TotalSeconds,
            StartTime = started.ToUnixTimeMilliseconds() / 1000.0,
            EndTime = ended.ToUnixTimeMilliseconds() / 1000.0,
            StatusDict = scan.StatusCounts,
        };
        await stats.UploadAsync(BinaryData.FromBytes(shardStats.ToJsonBytes()), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string> { [SourceETagMetadata] = sourceETag },
        }, ct);
        LogIngested(incoming.Dataset, incoming.ShardId, scan.Samples, scan.Successes, scan.Files);
    }

    private static async Task<bool> DescribesAsync(Azure.Storage.Blobs.BlobClient stats, string sourceETag, CancellationToken ct)
    {
        try
        {
            var properties = (await stats.GetPropertiesAsync(cancellationToken: ct)).Value;
            return properties.Metadata.TryGetValue(SourceETagMetadata, out var etag) && etag == sourceETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Ingested {Dataset}/{ShardId}: {Samples} samples, {Successes} with an image, {Files} files")]
    private partial void LogIngested(string dataset, string shardId, long samples, long successes, long files);

    [LoggerMessage(LogLevel.Information, "{Dataset}/{ShardId} is already ingested (delivery {DequeueCount}); nothing to do")]
    private partial void LogAlreadyIngested(string dataset, string shardId, long dequeueCount);

    [LoggerMessage(LogLevel.Error, "{Dataset}/{ShardId} cannot be ingested: {Error}")]
    private partial void LogShardFailed(string dataset, string shardId, string error);

    [LoggerMessage(LogLevel.Warning, "{Dataset}/{ShardId} was deleted before ingest ({Url}); skipped")]
    private partial void LogSourceGone(string dataset, string shardId, string url);

    [LoggerMessage(LogLevel.Information, "{Url} is not a tar shard under incoming/{{dataset}}/; skipped")]
    private partial void LogNotAShard(string url);
}
