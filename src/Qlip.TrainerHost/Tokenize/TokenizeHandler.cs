using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.Data.Captions;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// Queue <c>tokenize</c>: one clean shard (<c>shards/{dataset}/{shard}.tar</c>) through one checkpoint's encoder and
/// quantizer into <c>tokens/{dataset}/{checkpointId}/{shard}.parquet</c>, then the tokens manifest. Captions come through
/// the caption policy (<see cref="TokenizeOptions.Captions"/>) from the tar's originals and the shard's captions parquet;
/// under <c>Recaption</c> and <c>Mixed</c> the request waits while captions ingest asked for are pending
/// (<see cref="PendingCaptions"/>). The same shard, captions and checkpoint always give the same bytes, so a redelivery
/// changes nothing. A missing shard or checkpoint throws (the worker host retries, then poisons the message).
/// </summary>
public sealed partial class TokenizeHandler(
    StorageClients clients, CheckpointCache<CheckpointTokenizer> checkpoints, TokensStore store, IOptions<TokenizeOptions> options,
    ILogger<TokenizeHandler> logger) : IQueueHandler<TokenizeRequest>
{
    public async Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        var captionRows = await ReadCaptionRowsAsync(message.Dataset, message.ShardId, ct);
        await PendingCaptions.EnsureNoneAsync(clients, message, context, captionRows, options.Value, ct);
        var captions = new ShardCaptions(options.Value.CaptionPolicy(), captionRows);
        var tokenizer = await checkpoints.GetAsync(message.CheckpointUri, ct);
        var shard = BlobLayout.ShardTar(message.Dataset, message.ShardId);
        var shardName = $"{shard.Container}/{shard.Name}";
        List<Data.Tokens.TokenRow> rows;
        try
        {
            await using var tar = await clients.Blob(shard).OpenReadAsync(cancellationToken: ct);
            rows = await ShardTokenRows.ReadAsync(tar, shardName, tokenizer, captions, options.Value.BatchSize, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"tokenize: shard {shardName} does not exist (ingest it first)", shardName, e);
        }
        if (rows.Count == 0) throw new InvalidDataException($"tokenize: shard {shardName} has no samples");
        var outcome = await store.PublishAsync(message.Dataset, tokenizer.Id, message.CheckpointUri, message.ShardId, rows, captions.Digest, ct);
        LogTokenized(message.Dataset, message.ShardId, tokenizer.Id, rows.Count, captions.Recaptions, captions.Policy.Source, outcome, context.DequeueCount);
        // Captions written while this shard was encoded: their writer looked for stale tokens before this file was listed,
        // so this side queues it again (one of the two always sees the other).
        if (ShardCaptions.DigestOf(await ReadCaptionRowsAsync(message.Dataset, message.ShardId, ct)) != captions.Digest)
            throw new MessageDeferredException<TokenizeRequest>(message, TimeSpan.Zero,
                $"captions of {message.Dataset}/{message.ShardId} changed while it was tokenized; tokenizing it again");
    }

    // The captioning service's rows for the shard (shards/{dataset}/captions/{shard}.parquet); none yet is not an error.
    private async Task<IReadOnlyList<CaptionRow>> ReadCaptionRowsAsync(string dataset, string shardId, CancellationToken ct)
    {
        try
        {
            var content = (await clients.Blob(BlobLayout.Captions(dataset, shardId)).DownloadContentAsync(ct)).Value.Content;
            return await CaptionsParquet.ReadAsync(content.ToStream(), ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Tokenized {Dataset}/{ShardId} with {CheckpointId}: {Rows} rows ({Recaptions} recaptions, captions {CaptionSource}), file {Outcome} (delivery {DequeueCount})")]
    private partial void LogTokenized(string dataset, string shardId, string checkpointId, int rows, int recaptions, CaptionSource captionSource,
        TokensStore.FileOutcome outcome, long dequeueCount);
}
