using Qlip.Captioning.Backends;
using Qlip.Data.Captions;
using Qlip.Data.Tokens;
using Qlip.Data.WebDataset;
using Qlip.Ingest;
using Qlip.ML.Checkpoints;
using Qlip.ML.Configs;
using Qlip.ML.Models;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.TrainerHost.Tokenize;
using TorchSharp;

namespace Qlip.Captioning.Tests;

/// <summary>
/// Captions and tokens in either order, through the real caption and tokenize workers on their queues: an SA-1B-style
/// shard of real emoji (no captions) is ingested with a default tokenizer checkpoint, so ingest queues its caption
/// request and its tokenize request together, and the tokenize worker runs first. Captions come from a loopback
/// chat-completions server whose caption is a hash of the image it received, so a caption filed under the wrong key shows.
/// </summary>
[Collection(OrderingCollection.Name)]
public sealed class CaptionTokenizeOrderingTests(AzuriteFixture azurite) : IDisposable
{
    private const int Samples = 12;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly string _cache = Directory.CreateTempSubdirectory("qlip-ordering-").FullName;

    [Theory]
    [InlineData(CaptionSource.Recaption)]
    [InlineData(CaptionSource.Mixed)]
    public async Task Tokenization_queued_before_the_captions_waits_for_them_and_exports_exactly_the_recaptions(CaptionSource policy)
    {
        var (request, checkpoint) = await IngestAsync();
        await using var server = Server();
        await using (await TokenizeWorkerAsync(policy, ("Queues:tokenize:MaxDequeueCount", "2")))
        {
            // Five rechecks 1 s apart: more than MaxDequeueCount deliveries, and neither tokens nor poison.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.False(await TokensExistAsync(request.Dataset, checkpoint));
            Assert.NotEqual(0, await CountAsync(StorageNames.Queues.Tokenize));  // the deferred copy (two for a moment while it is swapped)
            Assert.Equal(0, await CountAsync(StorageNames.Queues.PoisonOf(StorageNames.Queues.Tokenize)));

            await using (await PipelineWorkers.CaptionAsync(azurite, server.Endpoint))
                await WaitUntilAsync(async () => await TokensExistAsync(request.Dataset, checkpoint), "the tokens manifest");
        }

        Assert.Equal(await ExpectedCaptionsAsync(request), await TokenCaptionsAsync(request.Dataset, checkpoint));
        await AssertManifestAsync(request, checkpoint);
        Assert.Equal(Samples, server.Requests.Count);
        Assert.Equal(0, await CountAsync(StorageNames.Queues.PoisonOf(StorageNames.Queues.Tokenize)));
    }

    [Fact]
    public async Task Original_tokenizes_at_once_and_captioning_remakes_the_stale_file_without_duplicate_rows_or_endless_requeues()
    {
        var (request, checkpoint) = await IngestAsync();
        await using var server = Server();
        await using (await TokenizeWorkerAsync(CaptionSource.Original))
            await WaitUntilAsync(async () => await CountAsync(StorageNames.Queues.Tokenize) == 0, "the tokenize queue to drain");
        // The Original policy never waits: the shard is tokenized before any caption exists, with empty captions.
        Assert.False((await azurite.Clients.Blob(BlobLayout.Captions(request.Dataset, request.ShardId)).ExistsAsync()).Value);
        Assert.All((await TokenCaptionsAsync(request.Dataset, checkpoint)).Values, caption => Assert.Equal("", caption));

        await CaptionAllAsync(server);
        Assert.Equal(1, await CountAsync(StorageNames.Queues.Tokenize));  // the stale file, queued again once
        // The same caption message again before the tokenize worker ran: the file is still stale, so one more request
        // (same output); no sample is captioned twice.
        await SendAsync(StorageNames.Queues.Caption, request);
        await CaptionAllAsync(server);
        Assert.Equal((2, Samples), (await CountAsync(StorageNames.Queues.Tokenize), server.Requests.Count));

        await using (await TokenizeWorkerAsync(CaptionSource.Original))
            await WaitUntilAsync(async () => await CountAsync(StorageNames.Queues.Tokenize) == 0, "the tokenize queue to drain");
        Assert.Equal(await ExpectedCaptionsAsync(request), await TokenCaptionsAsync(request.Dataset, checkpoint));
        await AssertManifestAsync(request, checkpoint);
        var tokens = azurite.Clients.Blob(BlobLayout.Tokens(request.Dataset, CheckpointId.Of(checkpoint), request.ShardId));
        var etag = (await tokens.GetPropertiesAsync()).Value.ETag;

        // Once the tokens match the captions, a redelivered caption message queues nothing.
        await SendAsync(StorageNames.Queues.Caption, request);
        await CaptionAllAsync(server);
        Assert.Equal((0, Samples), (await CountAsync(StorageNames.Queues.Tokenize), server.Requests.Count));
        Assert.Equal(etag, (await tokens.GetPropertiesAsync()).Value.ETag);
    }

    [Fact]
    public async Task A_shard_whose_captions_never_come_ends_in_tokenize_poison_naming_what_it_waited_for()
    {
        var (request, checkpoint) = await IngestAsync();
        await using (await TokenizeWorkerAsync(CaptionSource.Recaption, ("Tokenize:CaptionWait", "00:00:03")))
            await WaitUntilAsync(async () => await CountAsync(StorageNames.Queues.PoisonOf(StorageNames.Queues.Tokenize)) == 1, "the poison message");

        var poisoned = (await azurite.Clients.Queue(StorageNames.Queues.PoisonOf(StorageNames.Queues.Tokenize)).ReceiveMessageAsync()).Value;
        var poison = QueueMessageCodec.Decode<PoisonMessage>(poisoned.Body.ToString()).Message!;
        Assert.StartsWith($"permanent failure: tokenize {request.Dataset}/{request.ShardId} (captions Recaption): {Samples} of the {Samples} samples " +
                          "ingest queued for captioning have no caption row yet after ", poison.Reason);
        Assert.Contains("caption-poison", poison.Reason);
        var waited = QueueMessageCodec.Decode<TokenizeRequest>(poison.Body).Message!;
        Assert.Equal((request.Dataset, request.ShardId, checkpoint), (waited.Dataset, waited.ShardId, waited.CheckpointUri));
        Assert.NotNull(waited.WaitingForCaptionsSince);
        Assert.False(await TokensExistAsync(request.Dataset, checkpoint));
        Assert.Equal(0, await CountAsync(StorageNames.Queues.Tokenize));
    }

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    /// <summary>A random tiny checkpoint (the ids need only be a function of the images) and the shard ingest made.</summary>
    private async Task<(CaptionRequest Request, Uri Checkpoint)> IngestAsync()
    {
        // This collection's tests run one at a time on their own Azurite: start from empty queues.
        foreach (var queue in StorageNames.Queues.Work.Concat(StorageNames.Queues.Work.Select(StorageNames.Queues.PoisonOf)))
            await azurite.Clients.Queue(queue).ClearMessagesAsync();
        var run = $"run-{Guid.NewGuid():N}"[..14];
        var folder = Path.Combine(_cache, run);
        torch.random.manual_seed(1234);
        using (var model = new QlipModel(QlipPresets.Load("tiny")))
            QlipCheckpoint.Save(model, folder);
        foreach (var file in new[] { QlipCheckpoint.ConfigFile, QlipCheckpoint.WeightsFile })
            await azurite.Clients.Blob(BlobLayout.Checkpoint(run, file)).UploadAsync(Path.Combine(folder, file), overwrite: true);
        var checkpoint = azurite.Clients.Blob(BlobLayout.Checkpoint(run, QlipCheckpoint.WeightsFile)).Uri;

        var request = await Sa1bIngest.IngestAsync(azurite, $"ord-{Guid.NewGuid():N}"[..16], "emoji", Samples,
            new IngestOptions { CaptionBackend = OpenAICaptionBackend.BackendName, DefaultTokenizerCheckpoint = checkpoint });
        Assert.Equal((1, 1), (await CountAsync(StorageNames.Queues.Caption), await CountAsync(StorageNames.Queues.Tokenize)));
        return (request, checkpoint);
    }

    private static ChatCompletionsServer Server() =>
        new(r => ServerReply.Completion(CaptionShardHandlerTests.CaptionFor(r.ImageUrl)));

    private Task<RunningWorker> TokenizeWorkerAsync(CaptionSource policy, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Tokenize:Captions"] = policy.ToString(), ["Tokenize:CaptionRecheckInterval"] = "00:00:01" };
        foreach (var (key, value) in settings) all[key] = value;
        return PipelineWorkers.TokenizeAsync(azurite, Path.Combine(_cache, "checkpoints"), all);
    }

    /// <summary>Runs the caption worker until the caption queue is empty (a message leaves it once its handler is done).</summary>
    private async Task CaptionAllAsync(ChatCompletionsServer server)
    {
        await using (await PipelineWorkers.CaptionAsync(azurite, server.Endpoint))
            await WaitUntilAsync(async () => await CountAsync(StorageNames.Queues.Caption) == 0, "the caption queue to drain");
    }

    /// <summary>Key → the caption the server gives its image, in shard order.</summary>
    private async Task<Dictionary<string, string>> ExpectedCaptionsAsync(CaptionRequest request)
    {
        using var tar = (await azurite.Clients.Blob(BlobLayout.ShardTar(request.Dataset, request.ShardId)).DownloadContentAsync()).Value.Content.ToStream();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var sample in WebDatasetReader.ReadAsync(tar))
            expected[sample.Key] = CaptionShardHandlerTests.CaptionFor(CaptionShardHandlerTests.DataUrl(sample));
        Assert.Equal(Samples, expected.Count);
        return expected;
    }

    /// <summary>Key → caption of every tokens row; fails on a duplicate key.</summary>
    private async Task<Dictionary<string, string>> TokenCaptionsAsync(string dataset, Uri checkpoint)
    {
        var store = new TokensStore(azurite.Clients);
        var rows = await store.ReadAllRowsAsync(await store.ReadManifestAsync(dataset, CheckpointId.Of(checkpoint), CancellationToken.None), CancellationToken.None);
        return rows.ToDictionary(r => r.Key, r => r.Caption, StringComparer.Ordinal);
    }

    /// <summary>One file of all samples, made from the captions the shard has now, naming the checkpoint blob.</summary>
    private async Task AssertManifestAsync(CaptionRequest request, Uri checkpoint)
    {
        var manifest = await new TokensStore(azurite.Clients).ReadManifestAsync(request.Dataset, CheckpointId.Of(checkpoint), CancellationToken.None);
        using var parquet = (await azurite.Clients.Blob(BlobLayout.Captions(request.Dataset, request.ShardId)).DownloadContentAsync()).Value.Content.ToStream();
        var file = Assert.Single(manifest.Files);
        Assert.Equal(new TokensManifestFile(request.ShardId, $"{request.ShardId}.parquet", Samples, ShardCaptions.DigestOf(await CaptionsParquet.ReadAsync(parquet))), file);
        Assert.Equal(checkpoint, manifest.CheckpointUri);
    }

    private async Task<bool> TokensExistAsync(string dataset, Uri checkpoint) =>
        (await azurite.Clients.Blob(BlobLayout.TokensManifest(dataset, CheckpointId.Of(checkpoint))).ExistsAsync()).Value;

    private async Task<int> CountAsync(string queue) => (await azurite.Clients.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private Task SendAsync(string queue, CaptionRequest request) =>
        azurite.Clients.Queue(queue).SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {Patience.TotalSeconds} s waiting for {what}");
            await Task.Delay(100);
        }
    }
}
