using Qlip.Data.WebDataset;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;

namespace Qlip.Ingest.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class IdempotencyTests(AzuriteFixture azurite)
{
    private readonly IngestHarness _harness = new(azurite);

    private static BlobPath[] Outputs(string dataset, string shard) =>
    [
        BlobLayout.ShardTar(dataset, shard), BlobLayout.ShardParquet(dataset, shard), BlobLayout.ShardStats(dataset, shard),
        BlobLayout.Sizes(dataset), BlobLayout.ShardManifest(dataset),
    ];

    [Fact]
    public async Task Redelivery_of_a_finished_shard_does_nothing()
    {
        var dataset = IngestHarness.NewDataset("again");
        var incoming = await _harness.UploadAsync(dataset, "00000001.tar", await IngestInputs.FashionTarAsync());
        await _harness.Ingester.IngestAsync(incoming, CancellationToken.None);
        var etags = await Task.WhenAll(Outputs(dataset, "00000001").Select(async p => (await _harness.Clients.Blob(p).GetPropertiesAsync()).Value.ETag));

        var again = await _harness.Ingester.IngestAsync(incoming, CancellationToken.None);

        var after = await Task.WhenAll(Outputs(dataset, "00000001").Select(async p => (await _harness.Clients.Blob(p).GetPropertiesAsync()).Value.ETag));
        Assert.Equal((ShardIngestOutcome.AlreadyDone, 40), (again.Outcome, again.Stats!.Successes));
        Assert.Equal(etags, after);
    }

    [Fact]
    public async Task Redelivery_after_a_crash_before_the_stats_gives_the_same_output_and_its_own_claims_are_not_duplicates()
    {
        var dataset = IngestHarness.NewDataset("crash");
        var incoming = await _harness.UploadAsync(dataset, "00000002.tar", await IngestInputs.FashionTarAsync());
        await _harness.Ingester.IngestAsync(incoming, CancellationToken.None);
        var first = await Task.WhenAll(Outputs(dataset, "00000002").Select(_harness.ReadAsync));
        // The crash: everything written except the done marker.
        await _harness.Clients.Blob(BlobLayout.ShardStats(dataset, "00000002")).DeleteAsync();

        var again = await _harness.Ingester.IngestAsync(incoming, CancellationToken.None);

        var second = await Task.WhenAll(Outputs(dataset, "00000002").Select(_harness.ReadAsync));
        Assert.Equal(ShardIngestOutcome.Ingested, again.Outcome);
        Assert.Equal(first, second);
        Assert.Equal(40, (await _harness.ReadRowsAsync(dataset, "00000002")).Count(r => r.Status == "success"));
        Assert.Single((await _harness.ReadManifestAsync(dataset)).Shards);
        Assert.Equal(40, (await _harness.DedupRowsAsync(dataset)).Count);
    }

    [Fact]
    public async Task Output_is_byte_identical_when_the_same_input_is_ingested_again_from_scratch()
    {
        var input = await IngestInputs.FashionTarAsync();
        var (a, b) = (IngestHarness.NewDataset("runa"), IngestHarness.NewDataset("runb"));

        await _harness.Ingester.IngestAsync(await _harness.UploadAsync(a, "00000005.tar", input), CancellationToken.None);
        await _harness.Ingester.IngestAsync(await _harness.UploadAsync(b, "00000005.tar", input), CancellationToken.None);

        // Tar, parquet and stats name no data set, so they must match byte for byte.
        foreach (var path in Outputs(a, "00000005").Take(3))
            Assert.Equal(await _harness.ReadAsync(path), await _harness.ReadAsync(path with { Name = path.Name.Replace(a, b) }));
    }

    [Fact]
    public async Task Racing_shards_keep_each_shared_image_exactly_once()
    {
        var samples = new List<WebDatasetSample>();
        await foreach (var s in WebDatasetReader.ReadAsync(new MemoryStream(await IngestInputs.FashionTarAsync()))) samples.Add(s);
        // Shard 0 holds samples 0..29, shard 1 holds 10..39 under other keys: 20 images in both.
        var shard0 = await TarOfAsync(samples[..30], "a");
        var shard1 = await TarOfAsync(samples[10..], "b");
        var dataset = IngestHarness.NewDataset("dedup");
        var inputs = new[] { await _harness.UploadAsync(dataset, "00000000.tar", shard0), await _harness.UploadAsync(dataset, "00000001.tar", shard1) };

        var results = await Task.WhenAll(inputs.Select(i => Task.Run(() => _harness.Ingester.IngestAsync(i, CancellationToken.None))));

        var kept = new List<string>();
        foreach (var shard in new[] { "00000000", "00000001" })
            kept.AddRange((await _harness.ReadRowsAsync(dataset, shard)).Where(r => r.Status == "success").Select(r => r.Sha256!));
        Assert.Equal(40, kept.Count);
        Assert.Equal(40, kept.Distinct().Count());
        Assert.Equal(20, results.Sum(r => r.Stats!.StatusDict.GetValueOrDefault("duplicate_image")));
        Assert.Equal(40, (await _harness.ReadManifestAsync(dataset)).TotalSamples);
        Assert.Equal(40, (await _harness.DedupRowsAsync(dataset)).Count);
    }

    private static async Task<byte[]> TarOfAsync(IEnumerable<WebDatasetSample> samples, string prefix)
    {
        using var output = new MemoryStream();
        await using (var writer = new WebDatasetWriter(output, leaveOpen: true))
            foreach (var sample in samples)
                await writer.WriteAsync(prefix + sample.Key, sample.Files);
        return output.ToArray();
    }
}
