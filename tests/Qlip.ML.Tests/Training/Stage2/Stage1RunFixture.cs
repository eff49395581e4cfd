using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage1;
using Qlip.Testing.Data;

namespace Qlip.ML.Tests.Training.Stage2;

/// <summary>
/// Real Fashion-MNIST webdataset shards (DataMaker, what `qlip data make` runs) and a real 2-step qlip-stage1 run on the
/// tiny preset in a CLI-style run folder (<c>{Root}/s1/checkpoints/step-00000002</c>): what stage 2 starts from.
/// </summary>
public sealed class Stage1RunFixture : IAsyncLifetime
{
    public const string Stage1Run = "s1";

    public string Root { get; } = Directory.CreateTempSubdirectory("qlip-stage2-").FullName;

    public string Shards => Path.Combine(Root, "shards");

    public string Stage1Folder => Path.Combine(Root, Stage1Run);

    public LocalFolderCheckpointStore Stage1Checkpoints => new(Path.Combine(Stage1Folder, "checkpoints"));

    public async Task InitializeAsync()
    {
        await DataMaker.MakeAsync(new DataMakeOptions("fashion-mnist", DataSplit.Train, 16, Shards) { Limit = 48 }, RealData.Paths);
        var spec = new RunSpec(Stage1Run, QlipStage1RunKind.KindName, "tiny")
        {
            MaxSteps = 2,
            Hyperparameters = new Dictionary<string, string> { ["batch_size"] = "8", ["eval_images"] = "8", ["eval_photos"] = "1", ["shuffle_buffer"] = "16" },
        };
        await RunKinds.Create().Get(spec.Kind).RunAsync(spec, Environment(Stage1Folder), CancellationToken.None);
    }

    /// <summary>A CLI-like environment for a run folder under <see cref="Root"/>: its checkpoints, artifacts, sibling runs.</summary>
    public RunEnvironment Environment(string runFolder, Qlip.ML.Training.Metrics.IMetricsSink? metrics = null) =>
        new(LocalShardStore.Open(Shards), new LocalFolderCheckpointStore(Path.Combine(runFolder, "checkpoints")),
            metrics ?? new RecordingMetricsSink(), new LocalFolderRunArtifacts(runFolder))
        {
            RunCheckpoints = run => new LocalFolderCheckpointStore(Path.Combine(Root, run, "checkpoints")),
        };

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
