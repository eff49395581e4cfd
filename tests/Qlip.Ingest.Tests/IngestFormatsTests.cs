using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Qlip.Data.Images;
using Qlip.Data.WebDataset;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Data;

namespace Qlip.Ingest.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class IngestFormatsTests(AzuriteFixture azurite)
{
    private readonly IngestHarness _harness = new(azurite);

    [Fact]
    public async Task Webdataset_tar_lands_with_stats_rows_sizes_and_manifest_matching_its_content()
    {
        var input = await IngestInputs.FashionTarAsync();
        var dataset = IngestHarness.NewDataset("fmnist");
        var incoming = await _harness.UploadAsync(dataset, "00000000.tar", input);

        var result = await _harness.Ingester.IngestAsync(incoming, CancellationToken.None);

        var source = new List<WebDatasetSample>();
        await foreach (var s in WebDatasetReader.ReadAsync(new MemoryStream(input))) source.Add(s);
        var samples = await _harness.ReadTarAsync(dataset, "00000000");
        var stats = await _harness.ReadStatsAsync(dataset, "00000000");
        Assert.Equal(ShardIngestOutcome.Ingested, result.Outcome);
        Assert.Equal((40, 40, 0, 0), (stats.Count, stats.Successes, stats.FailedToDownload, stats.FailedToResize));
        Assert.Equal(new Dictionary<string, int> { ["success"] = 40 }, stats.StatusDict);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(input)), stats.SourceSha256);
        Assert.Equal(0, stats.NeedsCaption);
        Assert.Equal(source.Select(s => s.Key), samples.Select(s => s.Key));
        foreach (var (sample, original) in samples.Zip(source))
        {
            Assert.Equal(["jpg", "txt", "json", "source.json"], sample.Files.Select(f => f.Key));
            Assert.Equal(original.Get("txt"), sample.Get("txt"));
            var image = ImageDecoder.Decode(sample.Get("jpg")!, out var header);
            Assert.Equal((ImageFileFormat.Jpeg, 256, 256), (header.Format, image.Width, image.Height));
            var row = JsonSerializer.Deserialize<JsonElement>(sample.Get("json")!);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original.FirstOf("png")!.Value.Value)), row.GetProperty("sha256").GetString());
            Assert.Equal(28, row.GetProperty("original_width").GetInt32());
        }

        var rows = await _harness.ReadRowsAsync(dataset, "00000000");
        Assert.Equal(samples.Select(s => s.Key), rows.Select(r => r.Key));
        Assert.All(rows, r => Assert.Equal(("success", 256, 256, "00000000.tar"), (r.Status, r.Width, r.Height, r.Source)));
        Assert.Equal(new Dictionary<string, long> { ["00000000.tar"] = 40 }, await _harness.ReadSizesAsync(dataset));
        var manifest = await _harness.ReadManifestAsync(dataset);
        var entry = Assert.Single(manifest.Shards);
        Assert.Equal((40L, "shards/" + dataset + "/00000000.tar", stats.SourceSha256), (manifest.TotalSamples, entry.Tar, entry.SourceSha256));
        var status = (await _harness.Clients.Table(StorageNames.Tables.Shards).GetEntityAsync<ShardEntity>(dataset, "00000000")).Value;
        Assert.Equal((ShardStatus.Ingested, 40L, 40L, stats.SourceSha256, (long)input.Length),
            (status.Status, status.Samples, status.Successes, status.SourceSha256, status.SourceBytes));
        Assert.Empty(await _harness.CaptionRequestsAsync(dataset));
    }

    [Fact]
    public async Task Tar_gz_gives_the_same_samples_as_the_plain_tar()
    {
        var input = await IngestInputs.FashionTarAsync();
        var (plain, gzipped) = (IngestHarness.NewDataset("plain"), IngestHarness.NewDataset("gz"));

        await _harness.Ingester.IngestAsync(await _harness.UploadAsync(plain, "00000007.tar", input), CancellationToken.None);
        var result = await _harness.Ingester.IngestAsync(
            await _harness.UploadAsync(gzipped, "00000007.tar.gz", IngestInputs.Gzip(input)), CancellationToken.None);

        Assert.Equal("00000007", result.ShardId);
        Assert.Equal(40, result.Stats!.Successes);
        // Byte for byte except the source file name recorded in each sample's json.
        var (fromPlain, fromGzip) = (await _harness.ReadTarAsync(plain, "00000007"), await _harness.ReadTarAsync(gzipped, "00000007"));
        Assert.Equal(fromPlain.Select(s => (s.Key, s.Get("jpg"), s.Get("txt"))), fromGzip.Select(s => (s.Key, s.Get("jpg"), s.Get("txt"))));
        Assert.Equal("00000007.tar.gz", result.Stats.Source);
    }

    [Fact]
    public async Task Sa1b_tar_lands_without_captions_keeps_only_image_info_and_asks_for_captions_for_the_whole_shard()
    {
        var dataset = IngestHarness.NewDataset("sa1b");
        var incoming = await _harness.UploadAsync(dataset, "sa_000003.tar", await IngestInputs.Sa1bTarAsync());

        var result = await _harness.Ingester.IngestAsync(incoming, CancellationToken.None);

        var samples = await _harness.ReadTarAsync(dataset, "00000003");
        Assert.Equal(("00000003", 12, 12), (result.ShardId, result.Stats!.Successes, result.Stats.NeedsCaption));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"sa_{i}"), samples.Select(s => s.Key));
        Assert.All(samples, s => Assert.Null(s.Get("txt")));
        var info = JsonSerializer.Deserialize<JsonElement>(samples[0].Get("source.json")!);
        Assert.Equal(["image"], info.EnumerateObject().Select(p => p.Name));
        Assert.Equal(64, info.GetProperty("image").GetProperty("width").GetInt32());
        var request = Assert.Single(await _harness.CaptionRequestsAsync(dataset));
        Assert.Equal(("00000003", null, CaptionPolicy.FillMissing), (request.ShardId, request.Keys, request.Policy));
        Assert.Equal(12, Assert.Single((await _harness.ReadManifestAsync(dataset)).Shards).NeedsCaption);
    }

    [Fact]
    public async Task Hugging_face_parquet_lands_with_generated_keys_and_caption_requests_for_the_uncaptioned_rows()
    {
        var emoji = RealData.Emoji.Take(6).ToList();
        var rows = emoji.Select((e, i) => (File.ReadAllBytes(e.ImagePath), Path.GetFileName(e.ImagePath), i == 2 ? null : $"an emoji of {e.Name}"));
        var dataset = IngestHarness.NewDataset("hf");
        var harness = new IngestHarness(azurite, new IngestOptions
        {
            OutputFormat = OutputImageFormat.Png,
            ResizeMode = ResizeMode.Border,
            ImageSize = 48,
            DefaultTokenizerCheckpoint = new Uri("http://127.0.0.1/devstoreaccount1/checkpoints/run-1/final.safetensors"),
        });
        var incoming = await harness.UploadAsync(dataset, "train-00002-of-00005.parquet", await IngestInputs.HfParquetAsync(rows));

        var result = await harness.Ingester.IngestAsync(incoming, CancellationToken.None);

        var samples = await harness.ReadTarAsync(dataset, "00000002");
        Assert.Equal((6, 1), (result.Stats!.Successes, result.Stats.NeedsCaption));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"00000002{i:D6}"), samples.Select(s => s.Key));
        Assert.Equal($"an emoji of {emoji[0].Name}", Encoding.UTF8.GetString(samples[0].Get("txt")!));
        // Border mode on a 64×64 RGBA emoji: scaled to 48×48, alpha composited on white, stored losslessly.
        var image = ImageDecoder.Decode(samples[0].Get("png")!);
        Assert.Equal((48, 48, (byte)255, (byte)255, (byte)255), (image.Width, image.Height, image[0, 0].R, image[0, 0].G, image[0, 0].B));
        var request = Assert.Single(await harness.CaptionRequestsAsync(dataset));
        Assert.Equal(["00000002000002"], request.Keys);
        var tokenize = (await harness.Clients.Queue(StorageNames.Queues.Tokenize).PeekMessagesAsync(32)).Value
            .Select(m => QueueMessageCodec.Decode<TokenizeRequest>(m.Body.ToString()).Message).Single(m => m!.Dataset == dataset)!;
        Assert.Equal(("00000002", "final.safetensors"), (tokenize.ShardId, tokenize.CheckpointUri.Segments[^1]));
    }

    [Fact]
    public async Task Img2dataset_companion_files_are_skipped_not_ingested()
    {
        var dataset = IngestHarness.NewDataset("skip");
        var metadataParquet = new MemoryStream();
        await ShardMetadataParquet.WriteAsync([new SampleMetadata { Key = "000000000", Caption = "a" }], metadataParquet);

        var parquet = await _harness.Ingester.IngestAsync(
            await _harness.UploadAsync(dataset, "00000000.parquet", metadataParquet.ToArray()), CancellationToken.None);
        var stats = await _harness.Ingester.IngestAsync(
            await _harness.UploadAsync(dataset, "00000000_stats.json", "{}"u8.ToArray()), CancellationToken.None);

        Assert.Equal((ShardIngestOutcome.Skipped, ShardIngestOutcome.Skipped), (parquet.Outcome, stats.Outcome));
        Assert.False(await _harness.Clients.Blob(BlobLayout.ShardStats(dataset, "00000000")).ExistsAsync());
    }
}
