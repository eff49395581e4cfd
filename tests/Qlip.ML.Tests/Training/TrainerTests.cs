using Qlip.ML.Reporting;
using Qlip.ML.Training;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Optim;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

/// <summary>The real loop on real Fashion-MNIST with a one-class run kind: learning, resume, cancellation, divergence.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("qlip-trainer-").FullName;

    [Fact]
    public async Task Loss_decreases_and_metrics_checkpoints_and_eval_are_written()
    {
        var metricsPath = Path.Combine(root, "metrics.jsonl");
        var store = new LocalFolderCheckpointStore(Path.Combine(root, "ckpt"));
        using var data = new PrefetchingBatchSource<ImageBatch>(new FashionMnistBatches(4096, 64, seed: 1));
        var options = new TrainerOptions { MaxSteps = 150, LogEvery = 10, EvalEvery = 75, CheckpointEvery = 50, ClipNorm = 5 };
        TrainResult result;
        using (var sink = JsonlMetricsSink.AppendTo(metricsPath))
        {
            var trainer = Trainer<ImageBatch>.For(new ClassifierRunKind(), new ClassifierConfig(150), data, store, sink, options);
            result = await trainer.RunAsync(CancellationToken.None);
            var run = trainer.Run!;
            Assert.NotEmpty(run.Optimizer.StateDict());
            run.Dispose();
            // The run's native memory is freed now, not when the GC gets to it: a host trains run after run.
            Assert.Empty(run.Optimizer.StateDict());
            Assert.Throws<InvalidOperationException>(() => run.Model.parameters().First().sum());
        }

        IReadOnlyList<MetricsRow> rows;
        using (var file = File.OpenRead(metricsPath)) rows = JsonlMetrics.ReadAll(file);
        var train = rows.Where(r => r.Kind == MetricsRow.Train).ToList();
        Assert.Equal(Enumerable.Range(1, 15).Select(i => i * 10L), train.Select(r => r.Step));
        foreach (var key in new[] { "loss", "loss/ce", "loss/logit_l2", "lr/default/decay", "lr/head/decay", "grad_norm", "ms_per_step", "images_per_s", "data_wait_frac" })
            Assert.True(train[^1].Values.ContainsKey(key), $"missing {key}");
        Assert.Equal(train[^1].Values["lr/default/decay"] / 2, train[^1].Values["lr/head/decay"], 12);
        Assert.True(train[^1].Values["loss/ce"] < 0.5 * train[0].Values["loss/ce"],
            $"cross-entropy should at least halve: {train[0].Values["loss/ce"]:F3} → {train[^1].Values["loss/ce"]:F3}");
        Assert.InRange(result.DataWaitFraction, 0, 1);

        var eval = rows.Where(r => r.Kind == MetricsRow.Eval).ToList();
        Assert.Equal([75L, 150L], eval.Select(r => r.Step));
        Assert.True(eval[^1].Values["accuracy"] > 0.7, $"test accuracy {eval[^1].Values["accuracy"]:P1}");

        Assert.Equal(150, result.State.Step);
        Assert.Equal(150 * 64, result.State.SamplesSeen);
        Assert.Equal(150, await store.LatestAsync(CancellationToken.None));
        Assert.True(LossCurvePlot.RenderPng(rows, "fmnist classifier").Length > 1000);
    }

    [Fact]
    public async Task A_crashed_run_resumed_from_its_checkpoint_ends_bit_identical()
    {
        var uninterrupted = await TrainToEnd(Path.Combine(root, "a"), crashAtBatch: null);
        var crashed = Path.Combine(root, "b");
        await Assert.ThrowsAsync<SimulatedCrash>(() => TrainToEnd(crashed, crashAtBatch: 2 * 23 + 1));  // mid-accumulation of step 23
        Assert.Equal(20, await new LocalFolderCheckpointStore(crashed).LatestAsync(CancellationToken.None));
        var resumed = await TrainToEnd(crashed, crashAtBatch: null);
        AssertBitIdentical(uninterrupted, resumed);
    }

    [Fact]
    public async Task A_cancelled_run_checkpoints_where_it_stopped_and_resumes_bit_identical()
    {
        var uninterrupted = await TrainToEnd(Path.Combine(root, "a"), crashAtBatch: null);
        var dir = Path.Combine(root, "b");
        using var sigterm = new CancellationTokenSource();
        var first = await TrainToEnd(dir, crashAtBatch: null, sigterm, cancelAfterStep: 17);
        Assert.True(first.Result.Cancelled);
        Assert.Equal(17, first.Result.State.Step);
        Assert.Equal(17, await new LocalFolderCheckpointStore(dir).LatestAsync(CancellationToken.None));
        var resumed = await TrainToEnd(dir, crashAtBatch: null);
        Assert.False(resumed.Result.Cancelled);
        AssertBitIdentical(uninterrupted, resumed);
    }

    [Fact]
    public async Task A_nan_loss_stops_with_a_clear_error_and_keeps_the_last_good_checkpoint()
    {
        var store = new LocalFolderCheckpointStore(Path.Combine(root, "nan"));
        using var data = new FashionMnistBatches(1024, 32, seed: 3) { PoisonAtBatch = 7 };
        var trainer = Trainer<ImageBatch>.For(new ClassifierRunKind(), new ClassifierConfig(20), data, store, new RecordingMetricsSink(),
            new TrainerOptions { MaxSteps = 20, CheckpointEvery = 5 });

        var ex = await Assert.ThrowsAsync<NonFiniteLossException>(() => trainer.RunAsync(CancellationToken.None));
        Assert.Equal(7, ex.Step);
        Assert.Contains("Non-finite loss at step 7", ex.Message);
        Assert.Contains("loss/ce = NaN", ex.Message);
        Assert.Contains("last good checkpoint is step 5", ex.Message);
        Assert.Equal(5, await store.LatestAsync(CancellationToken.None));
        using var weights = await TrainingCheckpoint.ReadAsync(store, 5, TrainingCheckpoint.ModelFile, CancellationToken.None);
        Assert.All(weights.Tensors, t => Assert.True(t.Value.isfinite().all().item<bool>(), t.Key));
        Assert.All(trainer.Run!.Model.parameters(), p => Assert.True(p.isfinite().all().item<bool>(), "the NaN step's update must not be applied"));
    }

    [Fact]
    public async Task Bf16_refuses_a_run_whose_objective_steps_its_own_optimizer()
    {
        using var data = new FashionMnistBatches(64, 32, seed: 1);
        var trainer = Trainer<ImageBatch>.For(new ClassifierRunKind(), new ClassifierConfig(2, Probe: true), data,
            new LocalFolderCheckpointStore(Path.Combine(root, "bf16")), new RecordingMetricsSink(), new TrainerOptions { MaxSteps = 2, Precision = TrainingPrecision.Bf16 });

        // The probe (like stage 2's discriminator) is stepped inside the objective, which would update the working copy's weights.
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => trainer.RunAsync(CancellationToken.None));
        trainer.Run!.Dispose();
        Assert.Contains("steps its own optimizer(s) (probe)", error.Message, StringComparison.Ordinal);
        Assert.Null(await new LocalFolderCheckpointStore(Path.Combine(root, "bf16")).LatestAsync(CancellationToken.None));
    }

    private async Task<(TrainResult Result, Dictionary<string, Tensor> Weights, Dictionary<string, Tensor> Optimizer)> TrainToEnd(
        string dir, long? crashAtBatch, CancellationTokenSource? sigterm = null, long cancelAfterStep = -1)
    {
        var store = new LocalFolderCheckpointStore(dir);
        var sink = new RecordingMetricsSink(row => { if (row.Step == cancelAfterStep) sigterm!.Cancel(); });
        using var data = new PrefetchingBatchSource<ImageBatch>(new CrashingSource(new FashionMnistBatches(1024, 32, seed: 5), crashAtBatch));
        var options = new TrainerOptions
        {
            MaxSteps = 30, GradAccumulation = 2, ClipNorm = 1.0, LogEvery = 1, CheckpointEvery = 10, Deterministic = true, Seed = 42,
        };
        var trainer = Trainer<ImageBatch>.For(new ClassifierRunKind(), new ClassifierConfig(30, Lamb: true, Probe: true), data, store, sink, options);
        var result = await trainer.RunAsync(sigterm?.Token ?? CancellationToken.None);
        var run = trainer.Run!;
        var optimizerState = run.Optimizer.StateDict();
        foreach (var (name, aux) in run.AuxiliaryOptimizers ?? new Dictionary<string, GroupedOptimizer>())
        foreach (var (key, value) in aux.StateDict()) optimizerState[$"{name}:{key}"] = value;
        return (result, run.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone()), optimizerState);
    }

    private static void AssertBitIdentical(
        (TrainResult Result, Dictionary<string, Tensor> Weights, Dictionary<string, Tensor> Optimizer) expected,
        (TrainResult Result, Dictionary<string, Tensor> Weights, Dictionary<string, Tensor> Optimizer) actual)
    {
        Assert.Equal(30, actual.Result.State.Step);
        Assert.Equal(expected.Result.State with { RngState = [] }, actual.Result.State with { RngState = [] });
        Assert.Equal(expected.Result.State.RngState, actual.Result.State.RngState);
        foreach (var (name, tensor) in expected.Weights.Concat(expected.Optimizer))
        {
            var other = actual.Weights.GetValueOrDefault(name) ?? actual.Optimizer[name];
            Assert.True(tensor.bytes.SequenceEqual(other.bytes), $"{name} differs");
        }
        Assert.Equal(expected.Optimizer.Keys.Order(), actual.Optimizer.Keys.Order());
        Assert.Contains("probe:weight/exp_avg", actual.Optimizer.Keys);  // the auxiliary optimizer was resumed too
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private sealed class SimulatedCrash() : Exception("simulated kill");

    /// <summary>Dies while producing batch <c>crashAt</c>, like a process killed mid-step.</summary>
    private sealed class CrashingSource(IBatchSource<ImageBatch> inner, long? crashAt) : IBatchSource<ImageBatch>
    {
        private long produced;

        public string Cursor => inner.Cursor;

        public ImageBatch Next(CancellationToken cancellationToken) =>
            produced++ == crashAt ? throw new SimulatedCrash() : inner.Next(cancellationToken);

        public void Restore(string cursor) => inner.Restore(cursor);

        public void Dispose() => inner.Dispose();
    }
}
