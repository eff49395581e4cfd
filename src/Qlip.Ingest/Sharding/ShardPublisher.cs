using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Qlip.Data.WebDataset;
using Qlip.Ingest.Processing;
using Qlip.Shared.Manifests;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Ingest.Sharding;

/// <summary>
/// Writes a built shard, in an order that makes every step safe to repeat: tar and metadata parquet (conditional create:
/// a 409 means an earlier delivery wrote the same bytes), <c>sizes.json</c> and <c>manifest.json</c> (optimistic
/// concurrency, entry set rather than added), caption/tokenize requests, the status row, and the stats file last — the
/// shard is done exactly when it exists. No timings go into the stats, so the same input gives the same bytes.
/// </summary>
public sealed class ShardPublisher(StorageClients clients, IOptions<IngestOptions> options)
{
    private readonly IngestOptions _options = options.Value;

    /// <summary>Publishes <paramref name="output"/> and returns its stats.</summary>
    public async Task<ShardStats> PublishAsync(ShardOutput output, CancellationToken ct)
    {
        var (dataset, shardId) = (output.Incoming.Dataset, output.ShardId);
        var rows = output.Build.Rows;
        var written = output.Build.Written.ToList();
        var stats = StatsOf(output, written);

        await using (var tar = File.OpenRead(output.TarPath))
            await UploadIfNewAsync(clients.Blob(BlobLayout.ShardTar(dataset, shardId)), tar, ct);
        using (var parquet = new MemoryStream())
        {
            await ShardMetadataParquet.WriteAsync(rows.ToList(), parquet, ct);
            parquet.Position = 0;
            await UploadIfNewAsync(clients.Blob(BlobLayout.ShardParquet(dataset, shardId)), parquet, ct);
        }

        var tarName = shardId + ".tar";
        await BlobOptimisticUpdate.UpdateAsync(clients.Blob(BlobLayout.Sizes(dataset)), current =>
        {
            var sizes = current is null ? new SortedDictionary<string, long>(StringComparer.Ordinal) : DatasetSizes.Parse(current);
            sizes[tarName] = written.Count;
            return DatasetSizes.ToJsonBytes(sizes);
        }, ct);
        var entry = new ShardManifestEntry
        {
            Id = shardId,
            Tar = BlobLayout.ShardTar(dataset, shardId).ToString(),
            Parquet = BlobLayout.ShardParquet(dataset, shardId).ToString(),
            Stats = BlobLayout.ShardStats(dataset, shardId).ToString(),
            Samples = written.Count,
            NeedsCaption = stats.NeedsCaption ?? 0,
            Source = output.Incoming.FileName,
            SourceSha256 = output.SourceSha256,
        };
        await BlobOptimisticUpdate.UpdateAsync(clients.Blob(BlobLayout.ShardManifest(dataset)), current =>
            (current is null ? new ShardManifest { Dataset = dataset } : ShardManifest.Parse(current)).With(entry).ToJsonBytes(), ct);

        await EnqueueFollowUpsAsync(dataset, shardId, written, ct);
        var row = output.Row;
        (row.Status, row.Error) = (ShardStatus.Ingested, "");
        (row.Samples, row.Successes, row.NeedsCaption) = (stats.Count, stats.Successes, stats.NeedsCaption ?? 0);
        row.Files = written.Sum(r => output.Build.Members[r.Key]);
        await clients.Table(StorageNames.Tables.Shards).UpsertEntityAsync(row, TableUpdateMode.Replace, ct);

        using var statsJson = new MemoryStream(stats.ToJsonBytes());
        await UploadIfNewAsync(clients.Blob(BlobLayout.ShardStats(dataset, shardId)), statsJson, ct);
        return stats;
    }

    private static ShardStats StatsOf(ShardOutput output, IReadOnlyList<SampleMetadata> written)
    {
        var status = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in output.Build.Rows) status[row.Status] = status.GetValueOrDefault(row.Status) + 1;
        int CountOf(IReadOnlySet<string> reasons) => status.Where(s => reasons.Contains(s.Key)).Sum(s => s.Value);
        return new ShardStats
        {
            Count = output.Build.Rows.Count,
            Successes = written.Count,
            FailedToDownload = CountOf(RejectReasons.Download),
            FailedToResize = CountOf(RejectReasons.Resize),
            Source = output.Incoming.FileName,
            SourceSha256 = output.SourceSha256,
            NeedsCaption = written.Count(r => r.Caption is null),
            StatusDict = status,
        };
    }

    private async Task EnqueueFollowUpsAsync(string dataset, string shardId, IReadOnlyList<SampleMetadata> written, CancellationToken ct)
    {
        var uncaptioned = written.Where(r => r.Caption is null).Select(r => r.Key).ToList();
        var captionQueue = clients.Queue(StorageNames.Queues.Caption);
        foreach (var request in CaptionRequests.For(dataset, shardId, uncaptioned, uncaptioned.Count == written.Count, _options.CaptionBackend))
            await captionQueue.SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64), ct);
        if (_options.DefaultTokenizerCheckpoint is { } checkpoint && written.Count > 0)
        {
            var request = new TokenizeRequest { Dataset = dataset, ShardId = shardId, CheckpointUri = checkpoint };
            await clients.Queue(StorageNames.Queues.Tokenize).SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64), ct);
        }
    }

    private static async Task UploadIfNewAsync(BlobClient blob, Stream content, CancellationToken ct)
    {
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // An earlier delivery already wrote this blob; the output is deterministic, so it holds the same bytes.
        }
    }
}
