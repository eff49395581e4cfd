using Azure;
using Microsoft.Extensions.Logging;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.Ingest;

/// <summary>
/// Queue <c>ingest</c>: a BlobCreated event for a file under <c>incoming/{dataset}/</c> → <see cref="ShardIngester"/>.
/// Events for other blobs, and for blobs deleted before their turn, are skipped. A file that cannot be ingested throws
/// <see cref="ShardIngestException"/>, so the host retries it and after five deliveries poisons it with that reason.
/// </summary>
public sealed partial class ShardIngestHandler(StorageClients clients, ShardIngester ingester, ILogger<ShardIngestHandler> logger)
    : IQueueHandler<BlobCreatedEvent>
{
    public async Task HandleAsync(BlobCreatedEvent message, QueueMessageContext context, CancellationToken ct)
    {
        var url = message.Data.Url.GetLeftPart(UriPartial.Path);
        if (BlobLayout.ParseIncoming(message.Data.Url) is not { } incoming)
        {
            LogNotIncoming(url);
            return;
        }
        try
        {
            await clients.Blob(incoming.Path).GetPropertiesAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            LogSourceGone(incoming.Dataset, incoming.FileName, url);
            return;
        }
        await ingester.IngestAsync(incoming, ct);
    }

    [LoggerMessage(LogLevel.Warning, "incoming/{Dataset}/{FileName} was deleted before ingest ({Url}); skipped")]
    private partial void LogSourceGone(string dataset, string fileName, string url);

    [LoggerMessage(LogLevel.Information, "{Url} is not a file directly under incoming/{{dataset}}/; skipped")]
    private partial void LogNotIncoming(string url);
}
