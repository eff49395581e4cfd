using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qlip.Data.WebDataset;
using Qlip.Ingest.Dedup;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Manifests;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;

namespace Qlip.Ingest.Tests;

/// <summary>A <see cref="ShardIngester"/> on the fixture's Azurite, and readers for what it writes.</summary>
internal sealed class IngestHarness(AzuriteFixture azurite, IngestOptions? options = null)
{
    public StorageClients Clients { get; } = azurite.Clients;

    public ShardIngester Ingester { get; } = Create(azurite.Clients, options ?? new IngestOptions());

    public static string NewDataset(string stem) => $"{stem}-{Guid.NewGuid():N}"[..24];

    public static ShardIngester Create(StorageClients clients, IngestOptions options)
    {
        var wrapped = Options.Create(options);
        return new ShardIngester(clients, new ImageDedupIndex(clients), new ShardPublisher(clients, wrapped), wrapped,
            NullLogger<ShardIngester>.Instance);
    }

    public async Task<IncomingBlob> UploadAsync(string dataset, string fileName, byte[] bytes)
    {
        var incoming = new IncomingBlob(dataset, fileName);
        await Clients.Blob(incoming.Path).UploadAsync(new BinaryData(bytes), overwrite: true);
        return incoming;
    }

    public async Task<byte[]> ReadAsync(BlobPath path) => (await Clients.Blob(path).DownloadContentAsync()).Value.Content.ToArray();

    public async Task<List<WebDatasetSample>> ReadTarAsync(string dataset, string shardId)
    {
        using var tar = new MemoryStream(await ReadAsync(BlobLayout.ShardTar(dataset, shardId)));
        var samples = new List<WebDatasetSample>();
        await foreach (var sample in WebDatasetReader.ReadAsync(tar)) samples.Add(sample);
        return samples;
    }

    public async Task<IReadOnlyList<SampleMetadata>> ReadRowsAsync(string dataset, string shardId)
    {
        using var parquet = new MemoryStream(await ReadAsync(BlobLayout.ShardParquet(dataset, shardId)));
        return await ShardMetadataParquet.ReadAsync(parquet);
    }

    public async Task<ShardStats> ReadStatsAsync(string dataset, string shardId) =>
        ShardStats.Parse(await ReadAsync(BlobLayout.ShardStats(dataset, shardId)));

    public async Task<ShardManifest> ReadManifestAsync(string dataset) => ShardManifest.Parse(await ReadAsync(BlobLayout.ShardManifest(dataset)));

    public async Task<SortedDictionary<string, long>> ReadSizesAsync(string dataset) => DatasetSizes.Parse(await ReadAsync(BlobLayout.Sizes(dataset)));

    /// <summary>Caption requests on the caption queue for <paramref name="dataset"/> (peeked, so other tests' are left alone).</summary>
    public async Task<List<CaptionRequest>> CaptionRequestsAsync(string dataset)
    {
        var messages = (await Clients.Queue(StorageNames.Queues.Caption).PeekMessagesAsync(32)).Value;
        return messages.Select(m => QueueMessageCodec.Decode<CaptionRequest>(m.Body.ToString()).Message)
            .Where(m => m is not null && m.Dataset == dataset).Select(m => m!).ToList();
    }

    public async Task<List<TableEntity>> DedupRowsAsync(string dataset)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Clients.Table(StorageNames.Tables.ImageHashes).QueryAsync<TableEntity>())
            if (row.PartitionKey.StartsWith(dataset + "-", StringComparison.Ordinal)) rows.Add(row);
        return rows;
    }
}
