using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qlip.Captioning.Backends;
using Qlip.Data.Captions;
using Qlip.Data.WebDataset;
using Qlip.Ingest;
using Qlip.Shared.Messages;
using Qlip.Shared.Progress;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;

namespace Qlip.Captioning.Tests;

/// <summary>An SA-1B-style shard (no captions at all) through ingest and then the caption handler, on a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CaptionShardHandlerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sa1b_shard_ends_with_a_caption_for_every_sample_failures_kept_and_redelivery_neither_duplicates_nor_resends()
    {
        var dataset = $"sa1b-{Guid.NewGuid():N}"[..20];
        var request = await IngestSa1bAsync(dataset);
        var samples = await ReadShardAsync(dataset, request.ShardId);
        var failing = DataUrl(samples[4]);
        var failOnce = true;
        await using var server = new ChatCompletionsServer(r =>
            r.ImageUrl == failing && failOnce ? ServerReply.Malformed : ServerReply.Completion(CaptionFor(r.ImageUrl)));
        var options = CaptionBackends.Options(server.Endpoint);
        options.MaxConcurrency = 4;
        using var backend = CaptionBackends.OpenAI(options);
        var handler = Handler(backend, options);

        await handler.HandleAsync(request, Context(1), CancellationToken.None).WaitAsync(NoHang);

        var rows = await ReadCaptionsAsync(dataset, request.ShardId);
        Assert.Equal(samples.Select(s => s.Key).Order(StringComparer.Ordinal), rows.Select(r => r.Key));
        Assert.Equal((1L, 12L, 12L, 11L, 1L), await ProgressAsync(dataset));  // what `qlip status` shows
        Assert.Equal(12, server.Requests.Count);
        var failed = Assert.Single(rows, r => r.Status != CaptionRow.Success);
        Assert.Equal((samples[4].Key, CaptionFailureReasons.MalformedResponse, null), (failed.Key, failed.Status, failed.Caption));
        foreach (var row in rows.Where(r => r.Status == CaptionRow.Success))
        {
            var sample = samples.Single(s => s.Key == row.Key);
            Assert.Equal((CaptionFor(DataUrl(sample)), "openai", "served-model", null, null),
                (row.Caption, row.Backend, row.Model, row.OriginalCaption, row.Confidence));
        }

        // Redelivery: only the failed sample goes out again, and the file still holds one row per key.
        failOnce = false;
        await handler.HandleAsync(request, Context(2), CancellationToken.None).WaitAsync(NoHang);

        rows = await ReadCaptionsAsync(dataset, request.ShardId);
        Assert.Equal(13, server.Requests.Count);
        Assert.Equal(failing, server.Requests[^1].ImageUrl);
        Assert.Equal(12, rows.Count);
        Assert.Equal((1L, 12L, 12L, 12L, 0L), await ProgressAsync(dataset));
        Assert.All(rows, r => Assert.Equal((CaptionRow.Success, CaptionFor(DataUrl(samples.Single(s => s.Key == r.Key)))), (r.Status, r.Caption)));
        var resolver = new CaptionResolver(CaptionSource.Original);
        Assert.All(rows, r => Assert.Equal(r.Caption, resolver.Resolve(r.Key, r.OriginalCaption, r.Caption)));
    }

    [Fact]
    public async Task Captions_only_the_requested_keys_and_fails_the_message_when_every_sample_fails()
    {
        var dataset = $"keys-{Guid.NewGuid():N}"[..20];
        var shard = await IngestSa1bAsync(dataset);
        var samples = await ReadShardAsync(dataset, shard.ShardId);
        await using var server = new ChatCompletionsServer(_ => ServerReply.Malformed);
        var options = CaptionBackends.Options(server.Endpoint);
        using var backend = CaptionBackends.OpenAI(options);
        var request = shard with { Keys = [samples[1].Key, samples[7].Key, "sa_999"] };

        var error = await Assert.ThrowsAsync<CaptionShardException>(() => Handler(backend, options).HandleAsync(request, Context(1), CancellationToken.None).WaitAsync(NoHang));

        Assert.Contains("all 2 samples failed", error.Message);
        Assert.Equal([DataUrl(samples[1]), DataUrl(samples[7])], server.Requests.Select(r => r.ImageUrl).Order());
        var rows = await ReadCaptionsAsync(dataset, shard.ShardId);
        Assert.Equal([samples[1].Key, samples[7].Key], rows.Select(r => r.Key));
        Assert.All(rows, r => Assert.Equal(CaptionFailureReasons.MalformedResponse, r.Status));
    }

    [Fact]
    public async Task An_unknown_backend_or_a_missing_shard_fails_the_message_naming_it()
    {
        await using var server = new ChatCompletionsServer(_ => ServerReply.Completion("unused"));
        var options = CaptionBackends.Options(server.Endpoint);
        using var backend = CaptionBackends.OpenAI(options);
        var handler = Handler(backend, options);
        var request = new CaptionRequest { Dataset = "nothing-here", ShardId = "00000001", Backend = "openai" };

        var missing = await Assert.ThrowsAsync<CaptionShardException>(() => handler.HandleAsync(request, Context(1), CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<CaptionShardException>(() => handler.HandleAsync(request with { Backend = "blip" }, Context(1), CancellationToken.None));

        Assert.Contains("nothing-here/00000001.tar", missing.Message);
        Assert.Contains("unknown backend 'blip'", unknown.Message);
        Assert.Empty(server.Requests);
    }

    private CaptionShardHandler Handler(ICaptionBackend backend, CaptioningOptions options)
    {
        var services = new ServiceCollection().AddKeyedSingleton(backend.Name, backend).BuildServiceProvider();
        return new CaptionShardHandler(azurite.Clients, services, Options.Create(options), NullLogger<CaptionShardHandler>.Instance);
    }

    /// <summary>(shards, ingested, needs caption, captioned, caption failures) as <c>qlip status</c> reads them.</summary>
    private async Task<(long, long, long, long, long)> ProgressAsync(string dataset)
    {
        var p = Assert.Single(await DatasetProgressReader.ReadAsync(azurite.Clients, dataset, CancellationToken.None));
        Assert.Empty(p.Tokenized);
        return (p.Shards, p.Ingested, p.NeedsCaption, p.Captioned, p.CaptionFailures);
    }

    private static QueueMessageContext Context(long dequeueCount) => new(StorageNames.Queues.Caption, "message-1", dequeueCount, null);

    /// <summary>Ingests 12 packaged emoji made into an SA-1B tar and returns the caption request ingest enqueued.</summary>
    private Task<CaptionRequest> IngestSa1bAsync(string dataset) =>
        Sa1bIngest.IngestAsync(azurite, dataset, "emoji", 12, new IngestOptions { CaptionBackend = OpenAICaptionBackend.BackendName });

    private async Task<List<WebDatasetSample>> ReadShardAsync(string dataset, string shardId)
    {
        using var tar = (await azurite.Clients.Blob(BlobLayout.ShardTar(dataset, shardId)).DownloadContentAsync()).Value.Content.ToStream();
        var samples = new List<WebDatasetSample>();
        await foreach (var sample in WebDatasetReader.ReadAsync(tar)) samples.Add(sample);
        Assert.Equal(12, samples.Count);
        Assert.All(samples, s => Assert.Null(s.Get("txt")));
        return samples;
    }

    private async Task<IReadOnlyList<CaptionRow>> ReadCaptionsAsync(string dataset, string shardId)
    {
        using var parquet = (await azurite.Clients.Blob(BlobLayout.Captions(dataset, shardId)).DownloadContentAsync()).Value.Content.ToStream();
        return await CaptionsParquet.ReadAsync(parquet);
    }

    internal static string DataUrl(WebDatasetSample sample) => "data:image/jpeg;base64," + Convert.ToBase64String(sample.Get("jpg")!);

    /// <summary>The server's caption depends on the image it received, so a caption filed under the wrong key shows.</summary>
    internal static string CaptionFor(string imageUrl) => "caption " + Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(imageUrl)))[..12];
}
