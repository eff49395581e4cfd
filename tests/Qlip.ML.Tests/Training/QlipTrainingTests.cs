using Qlip.ML.Training;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

/// <summary>The engine with the real tiny QLIP: reconstruction falls on real images, and a crash resumes bit-identically.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class QlipTrainingTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("qlip-train-").FullName;

    [Fact]
    public async Task Tiny_qlip_reconstruction_loss_falls_on_fashion_mnist()
    {
        var sink = new RecordingMetricsSink();
        using var data = new PrefetchingBatchSource<ImageBatch>(new FashionMnistBatches(2048, 16, seed: 2));
        var trainer = Trainer<ImageBatch>.For(new QlipReconstructionRunKind(), 60L, data, new LocalFolderCheckpointStore(root), sink,
            new TrainerOptions { MaxSteps = 60, LogEvery = 5, ClipNorm = 5 });
        await trainer.RunAsync(CancellationToken.None);
        using var run = trainer.Run!;

        var (first, last) = (sink.Rows[0].Values["loss/mse"], sink.Rows[^1].Values["loss/mse"]);
        Assert.True(last < 0.6 * first, $"reconstruction MSE should fall by 40 %: {first:F4} → {last:F4}");
        Assert.Contains(sink.Rows[^1].Values.Keys, k => k == "lr/text_model/decay");
    }

    [Theory]
    [InlineData(TrainingPrecision.Fp32)]
    [InlineData(TrainingPrecision.Bf16)]  // the checkpoint's fp32 masters are the whole state: the working copy is derived from them
    public async Task Tiny_qlip_crashed_and_resumed_ends_bit_identical(TrainingPrecision precision)
    {
        var expected = await Train(Path.Combine(root, "a"), crashAtBatch: null, precision);
        await Assert.ThrowsAnyAsync<Exception>(() => Train(Path.Combine(root, "b"), crashAtBatch: 7, precision));
        var actual = await Train(Path.Combine(root, "b"), crashAtBatch: null, precision);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected) Assert.True(tensor.bytes.SequenceEqual(actual[name].bytes), $"{name} differs");
    }

    private static async Task<Dictionary<string, Tensor>> Train(string dir, long? crashAtBatch, TrainingPrecision precision)
    {
        var store = new LocalFolderCheckpointStore(dir);
        using var data = new FashionMnistBatches(512, 8, seed: 4) { CrashAtBatch = crashAtBatch };
        var trainer = Trainer<ImageBatch>.For(new QlipReconstructionRunKind(), 10L, data, store, new RecordingMetricsSink(),
            new TrainerOptions { MaxSteps = 10, CheckpointEvery = 5, ClipNorm = 5, Deterministic = true, Seed = 7, Precision = precision });
        await trainer.RunAsync(CancellationToken.None);
        using var run = trainer.Run!;
        return run.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
