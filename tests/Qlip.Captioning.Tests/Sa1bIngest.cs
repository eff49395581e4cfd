using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Ingest;
using Qlip.Ingest.Dedup;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Data;

namespace Qlip.Captioning.Tests;

/// <summary>Real packaged images made into an SA-1B tar (no captions) and ingested on Azurite, as the pipeline's first stage.</summary>
internal static class Sa1bIngest
{
    /// <summary>Ingests <paramref name="samples"/> test images of <paramref name="source"/>; returns the caption request ingest queued.</summary>
    public static async Task<CaptionRequest> IngestAsync(AzuriteFixture azurite, string dataset, string source, int samples, IngestOptions options)
    {
        var dir = Directory.CreateTempSubdirectory("qlip-caption-sa1b-").FullName;
        try
        {
            await DataMaker.MakeAsync(new DataMakeOptions(source, DataSplit.Test, samples, dir) { Limit = samples, Format = ShardFormat.Sa1b }, RealData.Paths);
            var incoming = new IncomingBlob(dataset, "sa_000003.tar");
            await azurite.Clients.Blob(incoming.Path).UploadAsync(new BinaryData(await File.ReadAllBytesAsync(Path.Combine(dir, "sa_000000.tar"))));
            var ingestOptions = Options.Create(options);
            var ingester = new ShardIngester(azurite.Clients, new ImageDedupIndex(azurite.Clients),
                new ShardPublisher(azurite.Clients, ingestOptions), ingestOptions, NullLogger<ShardIngester>.Instance);
            await ingester.IngestAsync(incoming, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        var messages = (await azurite.Clients.Queue(StorageNames.Queues.Caption).PeekMessagesAsync(32)).Value;
        return messages.Select(m => QueueMessageCodec.Decode<CaptionRequest>(m.Body.ToString()).Message).Single(m => m?.Dataset == dataset)!;
    }
}
