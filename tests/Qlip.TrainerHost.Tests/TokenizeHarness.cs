using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qlip.Data.Captions;
using Qlip.ML.Checkpoints;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.TrainerHost.Tokenize;

namespace Qlip.TrainerHost.Tests;

/// <summary>A tokenize handler wired to the test's Azurite, with the inputs uploaded under a fresh dataset and run name.</summary>
public sealed class TokenizeHarness : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("qlip-tokenize-cache-").FullName;

    /// <param name="sameNamesAs">Another harness whose dataset and run this one works on (a second worker process).</param>
    /// <param name="captions">The caption policy the worker is configured with (Tokenize__Captions).</param>
    /// <param name="whileLoading">Runs when the worker loads the checkpoint: after it read the captions, before it publishes.</param>
    public TokenizeHarness(AzuriteFixture azurite, int batchSize = 16, TokenizeHarness? sameNamesAs = null,
        CaptionSource captions = CaptionSource.Original, double recaptionRatio = 0.5, Action? whileLoading = null)
    {
        (Dataset, RunId) = sameNamesAs is null
            ? ("ds-" + Guid.NewGuid().ToString("N")[..10], "run-" + Guid.NewGuid().ToString("N")[..10])
            : (sameNamesAs.Dataset, sameNamesAs.RunId);
        Clients = azurite.Clients;
        var options = Options.Create(new TokenizeOptions
        {
            BatchSize = batchSize, CacheFolder = _cache, Captions = captions, RecaptionRatio = recaptionRatio,
        });
        Checkpoints = new CheckpointCache<CheckpointTokenizer>(Clients, _cache,
            (id, directory) =>
            {
                whileLoading?.Invoke();
                return new CheckpointTokenizer(id, directory, options.Value.PipelineOptions());
            }, NullLogger<CheckpointCache<CheckpointTokenizer>>.Instance);
        Store = new TokensStore(Clients);
        Handler = new TokenizeHandler(Clients, Checkpoints, Store, options, NullLogger<TokenizeHandler>.Instance);
    }

    public string Dataset { get; }

    public string RunId { get; }

    public StorageClients Clients { get; }

    public CheckpointCache<CheckpointTokenizer> Checkpoints { get; }

    public TokensStore Store { get; }

    public TokenizeHandler Handler { get; }

    public Uri CheckpointUri => Clients.Blob(BlobLayout.Checkpoint(RunId, QlipCheckpoint.WeightsFile)).Uri;

    public TokenizeRequest Request => new() { Dataset = Dataset, ShardId = "00000000", CheckpointUri = CheckpointUri };

    public async Task UploadShardAsync(string tarPath) =>
        await Clients.Blob(BlobLayout.ShardTar(Dataset, "00000000")).UploadAsync(tarPath, overwrite: true);

    /// <summary>Writes the shard's captions parquet the way the captioning service does.</summary>
    public async Task UploadCaptionsAsync(IEnumerable<CaptionRow> rows) =>
        await Clients.Blob(BlobLayout.Captions(Dataset, "00000000")).UploadAsync(new BinaryData(await CaptionsParquet.ToBytesAsync(rows)), overwrite: true);

    public async Task UploadCheckpointAsync(string folder)
    {
        foreach (var file in new[] { QlipCheckpoint.ConfigFile, QlipCheckpoint.WeightsFile })
            await Clients.Blob(BlobLayout.Checkpoint(RunId, file)).UploadAsync(Path.Combine(folder, file), overwrite: true);
    }

    public Task HandleAsync(long delivery = 1) =>
        Handler.HandleAsync(Request, new QueueMessageContext(StorageNames.Queues.Tokenize, "m1", delivery, DateTimeOffset.UtcNow), CancellationToken.None);

    public void Dispose()
    {
        Checkpoints.Dispose();
        Directory.Delete(_cache, recursive: true);
    }
}
