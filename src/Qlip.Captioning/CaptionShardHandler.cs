using System.Collections.Concurrent;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.Captioning.Backends;
using Qlip.Data.Captions;
using Qlip.Data.WebDataset;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Shared.Tokens;

namespace Qlip.Captioning;

/// <summary>
/// Captions the samples a <see cref="CaptionRequest"/> names (or, without keys, every sample its policy selects) and
/// merges them into <c>shards/{dataset}/captions/{shardId}.parquet</c> under optimistic concurrency, one row per key, so
/// a redelivery or a second request for the same shard never duplicates a row. Samples an earlier delivery already
/// captioned with the same backend are not sent again. A sample that fails is a row with its reason code, retried by
/// the next request; the message fails only when no sample at all could be captioned (the endpoint is down). Then
/// every tokens file of the shard made from other captions is queued for tokenization again (<see cref="StaleTokens"/>).
/// </summary>
public sealed partial class CaptionShardHandler(
    StorageClients clients, IServiceProvider services, IOptions<CaptioningOptions> options, ILogger<CaptionShardHandler> logger)
    : IQueueHandler<CaptionRequest>
{
    private static readonly (string Extension, string MediaType)[] ImageTypes =
        [("jpg", "image/jpeg"), ("jpeg", "image/jpeg"), ("png", "image/png"), ("webp", "image/webp")];

    public async Task HandleAsync(CaptionRequest message, QueueMessageContext context, CancellationToken ct)
    {
        var (dataset, shardId) = (message.Dataset, message.ShardId);
        var backend = services.GetKeyedService<ICaptionBackend>(message.Backend)
            ?? throw new CaptionShardException($"caption request for {dataset}/{shardId}: unknown backend '{message.Backend}'");
        var captionsBlob = clients.Blob(BlobLayout.Captions(dataset, shardId));
        var existing = await ReadRowsAsync(captionsBlob, ct);
        var done = existing.Where(r => r.Status == CaptionRow.Success && r.Backend == backend.Name).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var (inputs, rows, notFound) = await SelectAsync(message, done, backend.Name, ct);
        if (inputs.Count > 0)
        {
            var captioner = await backend.OpenAsync(message, ct);
            await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = ct },
                async (input, token) => rows.Add(await CaptionOneAsync(captioner, backend.Name, input, token)));
        }

        var current = rows.IsEmpty ? existing : await MergeAsync(captionsBlob, rows, ct);
        var failed = rows.Count(r => r.Status != CaptionRow.Success);
        LogShardCaptioned(dataset, shardId, backend.Name, rows.Count - failed, failed, done.Count, notFound);
        // Also with nothing new: a delivery that merged and then died before queueing leaves stale tokens to its retry.
        if (await StaleTokens.RequeueAsync(clients, dataset, shardId, ShardCaptions.DigestOf(current), ct) is { Count: > 0 } requeued)
            LogRetokenizing(dataset, shardId, string.Join(", ", requeued));
        if (failed > 0 && failed == rows.Count)
            throw new CaptionShardException($"caption request for {dataset}/{shardId}: all {failed} samples failed (first: " +
                $"{rows.First(r => r.Status != CaptionRow.Success).ErrorMessage})");
    }

    private async Task<(List<CaptionInput> Inputs, ConcurrentBag<CaptionRow> Rows, int NotFound)> SelectAsync(
        CaptionRequest message, HashSet<string> done, string backendName, CancellationToken ct)
    {
        var wanted = message.Keys?.ToHashSet(StringComparer.Ordinal);
        var (inputs, rows) = (new List<CaptionInput>(), new ConcurrentBag<CaptionRow>());
        var found = 0;
        var tarBlob = clients.Blob(BlobLayout.ShardTar(message.Dataset, message.ShardId));
        Stream tar;
        try
        {
            tar = await tarBlob.OpenReadAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new CaptionShardException($"caption request for {message.Dataset}/{message.ShardId}: shard '{tarBlob.Name}' does not exist", e);
        }
        await using (tar)
        {
            await foreach (var sample in WebDatasetReader.ReadAsync(tar, ct: ct))
            {
                if (wanted is not null && !wanted.Contains(sample.Key)) continue;
                found++;
                var alt = sample.Get("txt") is { } txt && Encoding.UTF8.GetString(txt).Trim() is { Length: > 0 } text ? text : null;
                if ((wanted is null && message.Policy == CaptionPolicy.FillMissing && alt is not null) || done.Contains(sample.Key)) continue;
                var image = ImageTypes.Select(t => (t.MediaType, Bytes: sample.Get(t.Extension))).FirstOrDefault(t => t.Bytes is not null);
                if (image.Bytes is null)
                    rows.Add(Failed(sample.Key, backendName, alt, CaptionFailureReasons.NoImage, $"sample '{sample.Key}' has no jpg, png or webp member"));
                else
                    inputs.Add(new CaptionInput(sample.Key, image.Bytes, image.MediaType, alt));
            }
        }
        return (inputs, rows, wanted is null ? 0 : wanted.Count - found);
    }

    private async Task<CaptionRow> CaptionOneAsync(ICaptioner captioner, string backendName, CaptionInput input, CancellationToken ct)
    {
        try
        {
            var result = await captioner.CaptionAsync(input, ct);
            return new CaptionRow
            {
                Key = input.Key, Caption = result.Caption, Backend = backendName, Model = result.Model,
                Confidence = result.Confidence, OriginalCaption = input.AltText,
            };
        }
        catch (CaptionFailedException e)
        {
            LogSampleFailed(input.Key, e.Reason, e.Message);
            return Failed(input.Key, backendName, input.AltText, e.Reason, e.Message);
        }
    }

    private static CaptionRow Failed(string key, string backend, string? alt, string reason, string error) =>
        new() { Key = key, Status = reason, Backend = backend, OriginalCaption = alt, ErrorMessage = error };

    private static async Task<IReadOnlyList<CaptionRow>> ReadRowsAsync(BlobClient blob, CancellationToken ct)
    {
        try
        {
            using var content = (await blob.DownloadContentAsync(ct)).Value.Content.ToStream();
            return await CaptionsParquet.ReadAsync(content, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    /// <summary>Merges <paramref name="fresh"/> into the blob; returns every row it holds now.</summary>
    private static async Task<IReadOnlyCollection<CaptionRow>> MergeAsync(BlobClient blob, IEnumerable<CaptionRow> fresh, CancellationToken ct)
    {
        IReadOnlyCollection<CaptionRow> written = [];
        await BlobOptimisticUpdate.UpdateAsync(blob, current =>
        {
            var merged = new Dictionary<string, CaptionRow>(StringComparer.Ordinal);
            // Parquet.Net has no synchronous API; both streams are in memory, so this blocks on no I/O.
            if (current is not null)
                foreach (var row in CaptionsParquet.ReadAsync(new MemoryStream(current), ct).GetAwaiter().GetResult())
                    merged[row.Key] = row;
            foreach (var row in fresh) merged[row.Key] = row;
            written = merged.Values;  // the last attempt's merge is the one that was written
            return CaptionsParquet.ToBytesAsync(merged.Values, ct).GetAwaiter().GetResult();
        }, ct);
        return written;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Captioned {Dataset}/{ShardId} with {Backend}: {Captioned} captioned, {Failed} failed, {AlreadyDone} already done, {NotFound} keys not in the shard")]
    private partial void LogShardCaptioned(string dataset, string shardId, string backend, int captioned, int failed, int alreadyDone, int notFound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Dataset}/{ShardId} for tokenization again with {CheckpointIds}: its tokens had other captions")]
    private partial void LogRetokenizing(string dataset, string shardId, string checkpointIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Caption of {SampleKey} failed: {Reason}: {Error}")]
    private partial void LogSampleFailed(string sampleKey, string reason, string error);
}
