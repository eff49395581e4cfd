using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.ML.Checkpoints;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Recipes;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage1;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Data;

namespace Qlip.Captioning.Tests;

/// <summary>
/// A tiny QLIP trained once per test run on real Fashion-MNIST train images (stage 1 with the demo's
/// <see cref="FashionMnistRecipe"/>: AdamW, calibrated loss weights; deterministic), its checkpoint uploaded as a training run's blob checkpoint (<c>checkpoints/{run}/step-N/</c> with the
/// commit marker), so tests name it <c>run:{RunId}</c>.
/// </summary>
public sealed class TrainedCheckpoint : IDisposable
{
    /// <summary>Optimizer steps of the tiny run.</summary>
    public const long Steps = 300;

    private readonly string root = Directory.CreateTempSubdirectory("qlip-zeroshot-train-").FullName;
    private readonly SemaphoreSlim once = new(1, 1);
    private string? runId;

    /// <summary>Trains (first call only) and uploads to <paramref name="azurite"/>; returns the run id.</summary>
    public async Task<string> RunIdAsync(AzuriteFixture azurite)
    {
        await once.WaitAsync();
        try
        {
            return runId ??= await TrainAndUploadAsync(azurite);
        }
        finally
        {
            once.Release();
        }
    }

    private async Task<string> TrainAndUploadAsync(AzuriteFixture azurite)
    {
        var shards = Path.Combine(root, "shards");
        await DataMaker.MakeAsync(new DataMakeOptions("fashion-mnist", DataSplit.Train, 1000, shards) { Limit = 3000 }, RealData.Paths);
        var id = "zs-" + Guid.NewGuid().ToString("N")[..10];
        // The demo's measured recipe (tiny, AdamW one lr, calibrated α_r), shortened: fewer steps and probe steps at half its batch.
        var recipe = FashionMnistRecipe.Default;
        var hyperparameters = new Dictionary<string, string>(recipe.Hyperparameters)
        {
            ["batch_size"] = "32", ["warmup_steps"] = "20", ["probe_steps"] = "20", ["shuffle_buffer"] = "256", ["log_every"] = "50",
            ["checkpoint_every"] = Steps.ToString(System.Globalization.CultureInfo.InvariantCulture), ["eval_images"] = "10", ["eval_photos"] = "1",
        };
        var spec = new RunSpec(id, QlipStage1RunKind.KindName, recipe.Preset)
        {
            MaxSteps = Steps,
            Seed = 7,
            Deterministic = true,
            Hyperparameters = hyperparameters,
        };
        var checkpoints = new LocalFolderCheckpointStore(Path.Combine(root, "checkpoints"));
        using var metrics = JsonlMetricsSink.AppendTo(Path.Combine(root, "metrics.jsonl"));
        var environment = new RunEnvironment(LocalShardStore.Open(shards), checkpoints, metrics,
            new LocalFolderRunArtifacts(Path.Combine(root, "out")));
        var outcome = await RunKinds.Create().Get(spec.Kind).RunAsync(spec, environment, CancellationToken.None);
        Assert.Equal(Steps, outcome.State.Step);

        var step = Assert.IsType<long>(await checkpoints.LatestAsync(CancellationToken.None));
        foreach (var file in new[] { QlipCheckpoint.ConfigFile, QlipCheckpoint.WeightsFile, CheckpointSteps.CommitMarker })
        {
            await using var content = await checkpoints.OpenReadAsync(step, file, CancellationToken.None);
            await azurite.Clients.Blob(CheckpointSteps.Blob(id, step, file)).UploadAsync(content, overwrite: true);
        }
        return id;
    }

    public void Dispose()
    {
        once.Dispose();
        Directory.Delete(root, recursive: true);
    }
}
