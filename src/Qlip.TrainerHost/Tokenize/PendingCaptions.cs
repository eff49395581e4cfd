using Azure;
using Qlip.Data.Captions;
using Qlip.Data.WebDataset;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// Holds a shard's tokenization back while the caption service still owes it captions, under the policies that read
/// recaptions first (<c>Recaption</c>, <c>Mixed</c>; <c>Original</c> never waits). A sample is pending when ingest wrote
/// it without a caption (its row in the shard's metadata parquet: status success, no caption; ingest queued a caption
/// request for it) and the shard's captions parquet has no row for it yet, neither a caption nor a failure. A shard
/// without a metadata parquet was not made by ingest and waits for nothing.
/// </summary>
public static class PendingCaptions
{
    /// <summary>Returns when no caption is pending; otherwise defers the request, or poisons it once the wait is over.</summary>
    /// <param name="captionRows">The shard's captions parquet as the handler read it.</param>
    /// <exception cref="MessageDeferredException{TokenizeRequest}">Captions are pending: look again after
    /// <see cref="TokenizeOptions.CaptionRecheckInterval"/>.</exception>
    /// <exception cref="PermanentMessageException">Captions are still pending <see cref="TokenizeOptions.CaptionWait"/> after the
    /// request was queued.</exception>
    public static async Task EnsureNoneAsync(StorageClients clients, TokenizeRequest message, QueueMessageContext context,
        IReadOnlyCollection<CaptionRow> captionRows, TokenizeOptions options, CancellationToken ct)
    {
        if (options.Captions == CaptionSource.Original) return;
        var needCaption = await NeedCaptionKeysAsync(clients, message.Dataset, message.ShardId, ct);
        var answered = captionRows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var pending = needCaption.Count(key => !answered.Contains(key));
        if (pending == 0) return;

        var now = DateTimeOffset.UtcNow;
        var since = message.WaitingForCaptionsSince ?? context.InsertedOn ?? now;
        var what = $"tokenize {message.Dataset}/{message.ShardId} (captions {options.Captions}): {pending} of the {needCaption.Count} " +
                   "samples ingest queued for captioning have no caption row yet";
        if (now - since >= options.CaptionWait)
            throw new PermanentMessageException(
                $"{what} after {now - since:c} (waiting since {since:O}, Tokenize__CaptionWait {options.CaptionWait:c}): look for its caption " +
                $"requests in caption-poison, caption the shard (qlip caption --dataset {message.Dataset}) and queue it again, or use Tokenize__Captions=Original");
        throw new MessageDeferredException<TokenizeRequest>(message with { WaitingForCaptionsSince = since }, options.CaptionRecheckInterval,
            $"{what}; looking again in {options.CaptionRecheckInterval:c}");
    }

    private static async Task<IReadOnlyList<string>> NeedCaptionKeysAsync(StorageClients clients, string dataset, string shardId, CancellationToken ct)
    {
        try
        {
            var content = (await clients.Blob(BlobLayout.ShardParquet(dataset, shardId)).DownloadContentAsync(ct)).Value.Content;
            var rows = await ShardMetadataParquet.ReadAsync(content.ToStream(), ct);
            return [.. rows.Where(r => r.Status == SampleMetadata.Success && r.Caption is null).Select(r => r.Key)];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }
}
