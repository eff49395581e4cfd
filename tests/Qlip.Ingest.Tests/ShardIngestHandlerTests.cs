using System.Formats.Tar;
using System.Security.Cryptography;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Qlip.Data.WebDataset;
using Qlip.Ingest.Hosting;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Hosting;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Shards;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Polling;

namespace Qlip.Ingest.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ShardIngestHandlerTests(AzuriteFixture azurite, FashionMnistShards shards) : IClassFixture<FashionMnistShards>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly StorageClients _clients = azurite.Clients;

    [Fact]
    public async Task Shards_added_for_ingest_are_ingested_through_the_ingest_queue()
    {
        var dataset = $"fm-{Guid.NewGuid():N}"[..16];
        var uploaded = await new ShardUploader(_clients, TimeProvider.System).AddAsync(dataset, [shards.Folder], CancellationToken.None);

        using var host = BuildHost(_ => { });
        await host.StartAsync();
        var statsBlobs = Enumerable.Range(0, 3).Select(i => _clients.Blob(BlobLayout.ShardStats(dataset, $"{i:D8}"))).ToList();
        await WaitUntilAsync(async () => (await Task.WhenAll(statsBlobs.Select(b => b.ExistsAsync()))).All(e => e.Value), "three stats blobs");
        await host.StopAsync();

        // Folder upload: 3 tars, 3 parquets, 3 stats files, sizes.json; only the tars are queued.
        Assert.Equal(10, uploaded.Count);
        Assert.Equal(3, uploaded.Count(u => u.Queued));
        var rows = new List<ShardEntity>();
        await foreach (var row in _clients.Table(StorageNames.Tables.Shards).QueryAsync<ShardEntity>(e => e.PartitionKey == dataset))
            rows.Add(row);
        Assert.Equal(["00000000", "00000001", "00000002"], rows.Select(r => r.ShardId));
        Assert.Equal([50L, 50, 20], rows.Select(r => r.Samples));
        Assert.Equal([50L, 50, 20], rows.Select(r => r.Successes));
        Assert.All(rows, r => Assert.Equal(ShardStatus.Ingested, r.Status));
        // Each output sample is jpg + txt + json + the maker's json kept as source.json.
        Assert.Equal([200L, 200, 80], rows.Select(r => r.Files));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(shards.Tar(i)))), rows[i].SourceSha256);
            var stats = ShardStats.Parse((await statsBlobs[i].DownloadContentAsync()).Value.Content.ToArray());
            // The maker's own count of what it wrote agrees with what ingest counted.
            Assert.Equal(shards.Made.ShardSizes[$"{i:D8}.tar"], stats.Count);
            Assert.Equal(stats.Count, stats.Successes);
            Assert.Equal(new Dictionary<string, int> { ["success"] = stats.Count }, stats.StatusDict);
        }
        Assert.Equal(0, (await _clients.Queue(StorageNames.Queues.Ingest).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Parquet_only_shards_are_queued_and_ingested_but_a_tars_metadata_parquet_is_not()
    {
        // One folder: a Hugging Face-style parquet of real emoji (no tar beside it), and an img2dataset tar with its metadata parquet.
        var folder = Directory.CreateTempSubdirectory("qlip-parquet-shards-").FullName;
        try
        {
            var emoji = Qlip.Testing.Data.RealData.Emoji.Take(5).ToList();
            await File.WriteAllBytesAsync(Path.Combine(folder, "train-00004-of-00005.parquet"),
                await IngestInputs.HfParquetAsync(emoji.Select(e => (File.ReadAllBytes(e.ImagePath), Path.GetFileName(e.ImagePath), (string?)$"an emoji of {e.Name}"))));
            File.Copy(shards.Tar(1), Path.Combine(folder, "00000001.tar"));
            File.Copy(Path.ChangeExtension(shards.Tar(1), ".parquet"), Path.Combine(folder, "00000001.parquet"));
            var dataset = $"pq-{Guid.NewGuid():N}"[..16];

            var uploaded = await new ShardUploader(_clients, TimeProvider.System).AddAsync(dataset, [folder], CancellationToken.None);

            Assert.Equal(["00000001.tar", "train-00004-of-00005.parquet"],
                uploaded.Where(u => u.Queued).Select(u => Path.GetFileName(u.LocalPath)).Order(StringComparer.Ordinal));
            Assert.Equal(3, uploaded.Count);
            using var host = BuildHost(o => o.MaxPollingInterval = TimeSpan.FromMilliseconds(100));
            await host.StartAsync();
            var stats = new[] { "00000001", "00000004" }.Select(id => _clients.Blob(BlobLayout.ShardStats(dataset, id))).ToList();
            await WaitUntilAsync(async () => (await Task.WhenAll(stats.Select(b => b.ExistsAsync()))).All(e => e.Value), "stats of both shards");
            await host.StopAsync();
            var parquetStats = ShardStats.Parse((await stats[1].DownloadContentAsync()).Value.Content.ToArray());
            Assert.Equal((5, 5), (parquetStats.Count, parquetStats.Successes));
            Assert.Equal(shards.Made.ShardSizes["00000001.tar"], ShardStats.Parse((await stats[0].DownloadContentAsync()).Value.Content.ToArray()).Successes);
            Assert.Equal(0, (await _clients.Queue(StorageNames.Queues.Ingest).GetPropertiesAsync()).Value.ApproximateMessagesCount);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_truncated_tar_ends_in_poison_after_five_deliveries_with_the_reason()
    {
        var whole = File.ReadAllBytes(shards.Tar(2));
        var (dataset, created) = await UploadAsync(whole[..(whole.Length / 2 + 100)]);
        await _clients.Queue(StorageNames.Queues.Ingest).SendMessageAsync(QueueMessageCodec.Encode(created, QueueBodyEncoding.PlainJson));

        using var host = BuildHost(o => o.MaxPollingInterval = TimeSpan.FromMilliseconds(100));
        await host.StartAsync();
        var poison = _clients.Queue(StorageNames.Queues.PoisonOf(StorageNames.Queues.Ingest));
        PoisonMessage? poisoned = null;
        await WaitUntilAsync(async () =>
        {
            poisoned = (await poison.PeekMessagesAsync(32)).Value
                .Select(m => QueueMessageCodec.Decode<PoisonMessage>(m.Body.ToString()).Message)
                .FirstOrDefault(p => p!.Body.Contains(dataset, StringComparison.Ordinal));
            return poisoned is not null;
        }, "the poison message");
        await host.StopAsync();

        Assert.Equal(5, poisoned!.Attempts);
        Assert.StartsWith(typeof(ShardIngestException).FullName + $": incoming/{dataset}/00000002.tar (webdataset): tar is truncated", poisoned.Reason);
        var row = (await _clients.Table(StorageNames.Tables.Shards).GetEntityAsync<ShardEntity>(dataset, "00000002")).Value;
        Assert.Equal(ShardStatus.Failed, row.Status);
        Assert.Contains("member '", row.Error);
        Assert.False((await _clients.Blob(BlobLayout.ShardStats(dataset, "00000002")).ExistsAsync()).Value);
    }

    [Fact]
    public async Task A_redelivered_event_changes_nothing()
    {
        var (dataset, created) = await UploadAsync(File.ReadAllBytes(shards.Tar(2)));
        var handler = Handler();

        await handler.HandleAsync(created, Context(1), CancellationToken.None);
        var stats = _clients.Blob(BlobLayout.ShardStats(dataset, "00000002"));
        var firstStats = (await stats.GetPropertiesAsync()).Value.ETag;
        var firstRow = (await _clients.Table(StorageNames.Tables.Shards).GetEntityAsync<ShardEntity>(dataset, "00000002")).Value;
        await handler.HandleAsync(created, Context(2), CancellationToken.None);

        Assert.Equal(firstStats, (await stats.GetPropertiesAsync()).Value.ETag);
        Assert.Equal(firstRow.ETag, (await _clients.Table(StorageNames.Tables.Shards).GetEntityAsync<ShardEntity>(dataset, "00000002")).Value.ETag);
        Assert.Equal(20, firstRow.Samples);
    }

    [Fact]
    public async Task Samples_without_an_image_or_with_non_image_bytes_are_counted_under_their_reason()
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { ("a.txt", "a shirt"), ("a.json", "{}"), ("b.txt", "no image here") })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "c.png") { DataStream = new MemoryStream(File.ReadAllBytes(shards.Tar(0))[..64]) });
        }
        var (dataset, created) = await UploadAsync(tar.ToArray());

        await Handler().HandleAsync(created, Context(1), CancellationToken.None);

        var stats = ShardStats.Parse((await _clients.Blob(BlobLayout.ShardStats(dataset, "00000002")).DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal((3, 0, 2, 1), (stats.Count, stats.Successes, stats.FailedToDownload, stats.FailedToResize));
        Assert.Equal(new Dictionary<string, int> { ["no_image"] = 2, ["not_an_image"] = 1 }, stats.StatusDict);
    }

    [Theory]
    [InlineData("incoming", "00000002.parquet")]
    [InlineData("shards", "00000002.tar")]
    public async Task Events_for_missing_blobs_or_blobs_outside_incoming_are_skipped(string container, string file)
    {
        var dataset = $"fm-{Guid.NewGuid():N}"[..16];
        var url = new Uri(_clients.Blobs.Uri, $"{_clients.Blobs.Uri.AbsolutePath.TrimEnd('/')}/{container}/{dataset}/{file}");

        await Handler().HandleAsync(BlobCreatedEvent.For(url, 1, "\"0x1\"", null, DateTimeOffset.UtcNow), Context(1), CancellationToken.None);

        await Assert.ThrowsAsync<RequestFailedException>(() => _clients.Table(StorageNames.Tables.Shards).GetEntityAsync<ShardEntity>(dataset, "00000002"));
    }

    [Fact]
    public async Task Adding_a_missing_path_names_it_and_uploads_nothing()
    {
        var dataset = $"fm-{Guid.NewGuid():N}"[..16];
        var missing = Path.Combine(shards.Folder, "00000099.tar");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            new ShardUploader(_clients, TimeProvider.System).AddAsync(dataset, [shards.Tar(0), missing], CancellationToken.None));

        Assert.Equal($"no such file or folder: {missing}", error.Message);
        Assert.False((await _clients.Blob(BlobLayout.Incoming(dataset, "00000000.tar")).ExistsAsync()).Value);
    }

    private IHost BuildHost(Action<QueueWorkerOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[StorageOptions.ConnectionStringVariable] = azurite.ConnectionString;
        builder.AddQlipDefaults();
        builder.AddIngestHandlers();
        builder.Services.Configure<QueueWorkerOptions>(StorageNames.Queues.Ingest, o =>
        {
            o.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
            configure(o);
        });
        return builder.Build();
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Eventually.WaitUntilAsync(condition, Patience, what);

    private ShardIngestHandler Handler() =>
        new(_clients, IngestHarness.Create(_clients, new IngestOptions()), NullLogger<ShardIngestHandler>.Instance);

    private static QueueMessageContext Context(long dequeueCount) => new(StorageNames.Queues.Ingest, "m-1", dequeueCount, DateTimeOffset.UtcNow);

    /// <summary>Uploads bytes as incoming/{new dataset}/00000002.tar and returns the event `shards add` would queue.</summary>
    private async Task<(string Dataset, BlobCreatedEvent Event)> UploadAsync(byte[] tar)
    {
        var dataset = $"fm-{Guid.NewGuid():N}"[..16];
        var blob = _clients.Blob(BlobLayout.Incoming(dataset, "00000002.tar"));
        var info = await blob.UploadAsync(new BinaryData(tar));
        return (dataset, BlobCreatedEvent.For(blob.Uri, tar.Length, info.Value.ETag.ToString(), "application/x-tar", DateTimeOffset.UtcNow));
    }
}
