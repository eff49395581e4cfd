using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.ML.Checkpoints;
using Qlip.ML.Configs;
using Qlip.ML.Models;
using Qlip.Testing.Data;
using TorchSharp;

namespace Qlip.TrainerHost.Tests;

/// <summary>
/// Made once per test class: one real webdataset shard of Fashion-MNIST test images (what `qlip data make` writes) and
/// a randomly initialized <c>tiny</c> checkpoint (the ids only need to be a deterministic function of the images).
/// </summary>
public sealed class TokenizeInputs : IAsyncLifetime
{
    public const int Samples = 40;

    public string Folder { get; } = Directory.CreateTempSubdirectory("qlip-tokenize-inputs-").FullName;

    public string ShardTar => Path.Combine(Folder, "shards", "00000000.tar");

    public string CheckpointFolder => Path.Combine(Folder, "checkpoint");

    public async Task InitializeAsync()
    {
        await DataMaker.MakeAsync(
            new DataMakeOptions("fashion-mnist", DataSplit.Test, Samples, Path.Combine(Folder, "shards")) { Limit = Samples }, RealData.Paths);
        torch.random.manual_seed(1234);
        using var model = new QlipModel(QlipPresets.Load("tiny"));
        QlipCheckpoint.Save(model, CheckpointFolder);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
