using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qlip.Captioning.Backends;
using Qlip.Data.Captions;
using Qlip.Ingest;
using Qlip.ML.Inference;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Messages;
using Qlip.Shared.Progress;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.TrainerHost.Tokenize;

namespace Qlip.Captioning.Tests;

/// <summary>
/// An SA-1B-style shard of real clip art (images, no captions) through every stage on Azurite: ingest (default backend
/// request) → caption with the zeroshot backend and a checkpoint trained in the test run (the host's default
/// checkpoint, the ImageNet-1k vocabulary) → tokenize with the same checkpoint (default caption policy: the original,
/// else the recaption); every sample ends with its zeroshot caption in the tokens parquet, and <c>qlip status</c>'s
/// counts follow each stage.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class Sa1bEndToEndTests(AzuriteFixture azurite, TrainedCheckpoint trained) : IDisposable
{
    private const int Samples = 10;
    private readonly string cache = Directory.CreateTempSubdirectory("qlip-e2e-cache-").FullName;

    [Fact]
    public async Task Every_sample_of_a_caption_less_shard_ends_tokenized_with_its_zeroshot_caption()
    {
        var runId = await trained.RunIdAsync(azurite);
        var dataset = $"sa1b-e2e-{Guid.NewGuid():N}"[..20];

        var request = await Sa1bIngest.IngestAsync(azurite, dataset, "openclipart", Samples, new IngestOptions());
        Assert.Equal((CaptionBackendNames.ZeroShot, null), (request.Backend, request.Checkpoint));
        Assert.Equal((1L, (long)Samples, (long)Samples, 0L, 0L), Counts(await ProgressAsync(dataset)));

        var options = new CaptioningOptions { Checkpoint = $"run:{runId}", CheckpointCacheFolder = cache };
        using var backend = new ZeroShotCaptionBackend(azurite.Clients, Options.Create(options), NullLogger<ZeroShotCaptionBackend>.Instance);
        var services = new ServiceCollection().AddKeyedSingleton<ICaptionBackend>(backend.Name, backend).BuildServiceProvider();
        var handler = new CaptionShardHandler(azurite.Clients, services, Options.Create(options), NullLogger<CaptionShardHandler>.Instance);
        await handler.HandleAsync(request, new QueueMessageContext(StorageNames.Queues.Caption, "m1", 1, null), CancellationToken.None);

        using var parquet = (await azurite.Clients.Blob(BlobLayout.Captions(dataset, request.ShardId)).DownloadContentAsync()).Value.Content.ToStream();
        var captions = (await CaptionsParquet.ReadAsync(parquet)).ToDictionary(r => r.Key, StringComparer.Ordinal);
        Assert.Equal(Samples, captions.Count);
        var model = $"qlip:{runId}-step-{TrainedCheckpoint.Steps:D8}";
        Assert.All(captions.Values, r => Assert.Equal((CaptionRow.Success, CaptionBackendNames.ZeroShot, model, null), (r.Status, r.Backend, r.Model, r.OriginalCaption)));
        Assert.All(captions.Values, r => Assert.StartsWith("a photo of a", r.Caption, StringComparison.Ordinal));
        Assert.Equal((1L, (long)Samples, (long)Samples, (long)Samples, 0L), Counts(await ProgressAsync(dataset)));

        var checkpoint = await CheckpointReference.ResolveAsync(azurite.Clients, $"run:{runId}", CancellationToken.None);
        using var tokenizers = new CheckpointCache<CheckpointTokenizer>(azurite.Clients, cache,
            (id, directory) => new CheckpointTokenizer(id, directory, new QlipPipelineOptions()), NullLogger.Instance);
        var store = new TokensStore(azurite.Clients);
        var tokenize = new TokenizeHandler(azurite.Clients, tokenizers, store, Options.Create(new TokenizeOptions { CacheFolder = cache }),
            NullLogger<TokenizeHandler>.Instance);
        await tokenize.HandleAsync(new TokenizeRequest { Dataset = dataset, ShardId = request.ShardId, CheckpointUri = checkpoint },
            new QueueMessageContext(StorageNames.Queues.Tokenize, "m2", 1, null), CancellationToken.None);

        var checkpointId = CheckpointId.Of(checkpoint);
        var rows = await store.ReadAllRowsAsync(await store.ReadManifestAsync(dataset, checkpointId, CancellationToken.None), CancellationToken.None);
        Assert.Equal(captions.Keys.Order(StringComparer.Ordinal), rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(captions[r.Key].Caption, r.Caption));
        var progress = await ProgressAsync(dataset);
        Assert.Equal(Samples, Assert.Single(progress.Tokenized, t => t.Key == checkpointId).Value);
    }

    public void Dispose() => Directory.Delete(cache, recursive: true);

    private static (long Shards, long Ingested, long NeedsCaption, long Captioned, long Failures) Counts(DatasetProgress p) =>
        (p.Shards, p.Ingested, p.NeedsCaption, p.Captioned, p.CaptionFailures);

    private async Task<DatasetProgress> ProgressAsync(string dataset) =>
        Assert.Single(await DatasetProgressReader.ReadAsync(azurite.Clients, dataset, CancellationToken.None));
}
