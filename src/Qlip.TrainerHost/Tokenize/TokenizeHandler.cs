using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// Queue <c>tokenize</c>: one clean shard (<c>shards/{dataset}/{shard}.tar</c>) through one checkpoint's encoder and
/// quantizer into <c>tokens/{dataset}/{checkpointId}/{shard}.parquet</c>, then the tokens manifest. The same shard and
/// checkpoint always give the same bytes, so a redelivery changes nothing. A missing shard or checkpoint throws
/// (the worker host retries, then poisons the message).
/// </summary>
public sealed partial class TokenizeHandler(
    StorageClients clients, CheckpointCache<CheckpointTokenizer> checkpoints, TokensStore store, IOptions<TokenizeOptions> options,
    ILogger<TokenizeHandler> logger) : IQueueHandler<TokenizeRequest>
{
    public async Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        var tokenizer = await checkpoints.GetAsync(message.CheckpointUri, ct);
        var shard = BlobLayout.ShardTar(message.Dataset, message.ShardId);
        var shardName = $"{shard.Container}/{shard.Name}";
        List<Data.Tokens.TokenRow> rows;
        try
        {
            await using var tar = await clients.Blob(shard).OpenReadAsync(cancellationToken: ct);
            rows = await ShardTokenRows.ReadAsync(tar, shardName, tokenizer, options.Value.BatchSize, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"tokenize: shard {shardName} does not exist (ingest it first)", shardName, e);
        }
        if (rows.Count == 0) throw new InvalidDataException($"tokenize: shard {shardName} has no samples");
        var outcome = await store.PublishAsync(message.Dataset, tokenizer.Id, message.ShardId, rows, ct);
        LogTokenized(message.Dataset, message.ShardId, tokenizer.Id, rows.Count, outcome, context.DequeueCount);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Tokenized {Dataset}/{ShardId} with {CheckpointId}: {Rows} rows, file {Outcome} (delivery {DequeueCount})")]
    private partial void LogTokenized(string dataset, string shardId, string checkpointId, int rows, TokensStore.FileOutcome outcome, long dequeueCount);
}
