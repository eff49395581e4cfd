using Qlip.ML.Native;
using Qlip.ML.Nn;
using System.Diagnostics;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Training;

/// <summary>
/// The training loop every run kind shares, nanoGPT's <c>train.py</c> with types: seed, build the run, resume the
/// newest checkpoint, then per step set the lr from the schedule, accumulate micro-batches, check the loss is finite,
/// clip, step and zero the gradients; log, evaluate and checkpoint at intervals; on cancellation checkpoint and return.
/// With <see cref="TrainingPrecision.Bf16"/> the forward and backward run on a bf16 working copy and everything else on
/// the fp32 masters (<see cref="MixedPrecision{TBatch}"/>).
/// </summary>
public sealed class Trainer<TBatch>
    where TBatch : IBatch
{
    private readonly Func<TrainingRun<TBatch>> buildRun;
    private readonly IBatchSource<TBatch> data;
    private readonly ICheckpointStore checkpoints;
    private readonly IMetricsSink metrics;
    private readonly TrainerOptions options;
    private long? lastCheckpoint;

    /// <summary>
    /// <paramref name="buildRun"/> is called once inside <see cref="RunAsync"/> after torch is seeded (twice in bf16: the
    /// second build becomes the working copy, so it must build the same model); the data source,
    /// store and sink are the caller's (the trainer does not dispose them).
    /// </summary>
    public Trainer(Func<TrainingRun<TBatch>> buildRun, IBatchSource<TBatch> data, ICheckpointStore checkpoints, IMetricsSink metrics, TrainerOptions options)
    {
        this.buildRun = buildRun ?? throw new ArgumentNullException(nameof(buildRun));
        this.data = data ?? throw new ArgumentNullException(nameof(data));
        this.checkpoints = checkpoints ?? throw new ArgumentNullException(nameof(checkpoints));
        this.metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
    }

    /// <summary>A trainer for run kind <paramref name="kind"/> with <paramref name="config"/>.</summary>
    public static Trainer<TBatch> For<TConfig>(IRunKind<TConfig, TBatch> kind, TConfig config, IBatchSource<TBatch> data,
        ICheckpointStore checkpoints, IMetricsSink metrics, TrainerOptions options) =>
        new(() => kind.Create(config), data, checkpoints, metrics, options);

    /// <summary>The run built by <see cref="RunAsync"/> (null before); the caller owns and disposes its model.</summary>
    public TrainingRun<TBatch>? Run { get; private set; }

    /// <summary>
    /// Trains to <see cref="TrainerOptions.MaxSteps"/>, resuming the newest committed checkpoint. Cancellation is
    /// cooperative: the current step finishes (or its partial micro-batches are dropped), a checkpoint is written and
    /// the result says <c>Cancelled</c>. A non-finite loss throws <see cref="NonFiniteLossException"/>.
    /// The loop runs on one dedicated thread and blocks on checkpoint I/O: torch's intra-op thread setting and dispose
    /// scopes are per OS thread, so an <c>await</c> resuming on another pool thread would silently change both.
    /// </summary>
    public Task<TrainResult> RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Train(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private TrainResult Train(CancellationToken cancellationToken)
    {
        using var convolutions = options.ConvolutionInputGradients ? LibTorchBackends.ReferenceConvolutions() : null;
        var threads = get_num_threads();
        // One intra-op thread makes CPU reductions run in a fixed order (TorchSharp does not expose
        // use_deterministic_algorithms; on CPU the thread count is what varies).
        if (options.Deterministic) set_num_threads(1);
        try
        {
            manual_seed(options.Seed);
            var run = buildRun();
            Run = run;
            using var mixed = options.Precision == TrainingPrecision.Bf16 ? MixedPrecision<TBatch>.Create(run, buildRun, ScalarType.BFloat16) : null;
            return Loop(run, mixed, cancellationToken);
        }
        finally
        {
            if (options.Deterministic) set_num_threads(threads);
        }
    }

    private TrainResult Loop(TrainingRun<TBatch> run, MixedPrecision<TBatch>? mixed, CancellationToken ct)
    {
        var state = Resume(run, ct);
        mixed?.CopyWeights();
        var parameters = run.Optimizer.Groups.SelectMany(g => g.Parameters).Select(p => p.Parameter).ToList();
        run.Model.train();
        mixed?.Model.train();
        long waitTicks = 0, stepTicks = 0;
        while (state.Step < options.MaxSteps)
        {
            if (ct.IsCancellationRequested) return Stop(run, state, waitTicks, stepTicks);
            var started = Stopwatch.GetTimestamp();
            StepOutcome outcome;
            try
            {
                outcome = TrainStep(run, mixed, parameters, state.Step, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                run.Optimizer.ZeroGrad();  // drop the partial accumulation; the cursor still points after the last full step
                return Stop(run, state, waitTicks, stepTicks);
            }
            var elapsed = Stopwatch.GetTimestamp() - started;
            (waitTicks, stepTicks) = (waitTicks + outcome.WaitTicks, stepTicks + elapsed);
            state = state with { Step = state.Step + 1, SamplesSeen = state.SamplesSeen + outcome.Samples, DataCursor = data.Cursor };

            var last = state.Step == options.MaxSteps;
            if (state.Step % options.LogEvery == 0 || last)
                metrics.Write(new MetricsRow(state.Step, MetricsRow.Train, TrainRow(run, outcome, elapsed, state.SamplesSeen)));
            if (run.Evaluator is not null && ((options.EvalEvery > 0 && state.Step % options.EvalEvery == 0) || last))
                Evaluate(run, state.Step, ct);
            if ((options.CheckpointEvery > 0 && state.Step % options.CheckpointEvery == 0) || last)
                Checkpoint(run, state);
        }
        return new TrainResult(WithRngState(state), Cancelled: false, Fraction(waitTicks, stepTicks));
    }

    private StepOutcome TrainStep(TrainingRun<TBatch> run, MixedPrecision<TBatch>? mixed, IReadOnlyList<Parameter> parameters, long step, CancellationToken ct)
    {
        using var scope = NewDisposeScope();
        run.Optimizer.SetLearningRates(run.Schedule.Factor(step));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        int samples = 0;
        long waitTicks = 0;
        for (var micro = 0; micro < options.GradAccumulation; micro++)
        {
            var waitStart = Stopwatch.GetTimestamp();
            using var batch = data.Next(ct);
            waitTicks += Stopwatch.GetTimestamp() - waitStart;
            var loss = (mixed?.Objective ?? run.Objective).Compute(batch, step);
            Accumulate(values, "loss", loss.Total.Value());
            foreach (var (name, term) in loss.Terms) Accumulate(values, $"loss/{name}", term.Value());
            if (values.Values.Any(v => !double.IsFinite(v))) Fail(run, step, values);
            var total = options.GradAccumulation == 1 ? loss.Total : loss.Total.Over(options.GradAccumulation);
            total.backward();
            mixed?.AccumulateGradients();  // the masters' fp32 gradients are what clipping and the optimizer see
            samples += batch.Count;
        }
        var gradNorm = options.ClipNorm is { } clip ? GradientClipping.ClipGlobalNorm(parameters, clip) : GradientClipping.GlobalNorm(parameters);
        values["grad_norm"] = gradNorm;
        if (!double.IsFinite(gradNorm)) Fail(run, step, values);
        run.Optimizer.Step();
        run.Optimizer.ZeroGrad();
        mixed?.CopyWeights();
        return new StepOutcome(values, samples, waitTicks, mixed?.TakeCopyTicks());
    }

    private void Accumulate(Dictionary<string, double> values, string name, double value) =>
        values[name] = values.GetValueOrDefault(name) + value / options.GradAccumulation;

    private void Fail(TrainingRun<TBatch> run, long step, Dictionary<string, double> values)
    {
        run.Optimizer.ZeroGrad();
        throw new NonFiniteLossException(step, values, lastCheckpoint);
    }

    private static Dictionary<string, double> TrainRow(TrainingRun<TBatch> run, StepOutcome outcome, long elapsedTicks, long samplesSeen)
    {
        var seconds = Math.Max(elapsedTicks, 1) / (double)Stopwatch.Frequency;
        var row = new Dictionary<string, double>(outcome.Values, StringComparer.Ordinal);
        foreach (var group in run.Optimizer.Groups) row[$"lr/{group.Name}"] = group.Lr;
        row["ms_per_step"] = seconds * 1e3;
        row["images_per_s"] = outcome.Samples / seconds;
        row["data_wait_frac"] = Fraction(outcome.WaitTicks, elapsedTicks);
        if (outcome.CopyTicks is { } copy) row["master_copy_frac"] = Fraction(copy, elapsedTicks);
        row["samples_seen"] = samplesSeen;
        return row;
    }

    private void Evaluate(TrainingRun<TBatch> run, long step, CancellationToken ct)
    {
        run.Model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var values = run.Evaluator!.Evaluate(run.Model, step, ct);
            metrics.Write(new MetricsRow(step, MetricsRow.Eval, values));
        }
        finally
        {
            run.Model.train();
        }
    }

    private TrainState Resume(TrainingRun<TBatch> run, CancellationToken ct)
    {
        lastCheckpoint = checkpoints.LatestAsync(ct).GetAwaiter().GetResult();
        if (lastCheckpoint is not { } step) return new TrainState(0, 0, [], data.Cursor) { RunValues = options.RunValues };
        var state = TrainingCheckpoint.LoadAsync(checkpoints, step, run.Model, run.Optimizer, run.AuxiliaryOptimizers, ct).GetAwaiter().GetResult();
        using (var rng = empty(state.RngState.Length, ScalarType.Byte))
        {
            rng.bytes = state.RngState;
            set_rng_state(rng);
        }
        data.Restore(state.DataCursor);
        return state;
    }

    private void Checkpoint(TrainingRun<TBatch> run, TrainState state)
    {
        // Not cancellable: on SIGTERM this write is the point of stopping.
        TrainingCheckpoint.SaveAsync(checkpoints, run.Model, run.Optimizer, run.AuxiliaryOptimizers, WithRngState(state), CancellationToken.None).GetAwaiter().GetResult();
        lastCheckpoint = state.Step;
    }

    private TrainResult Stop(TrainingRun<TBatch> run, TrainState state, long waitTicks, long stepTicks)
    {
        if (lastCheckpoint != state.Step) Checkpoint(run, state);
        return new TrainResult(WithRngState(state), Cancelled: true, Fraction(waitTicks, stepTicks));
    }

    private static TrainState WithRngState(TrainState state)
    {
        using var rng = get_rng_state();
        return state with { RngState = rng.bytes.ToArray() };
    }

    private static double Fraction(long part, long whole) => whole > 0 ? part / (double)whole : 0;

    // CopyTicks: time spent moving gradients and weights between the fp32 masters and a mixed-precision working copy.
    private sealed record StepOutcome(Dictionary<string, double> Values, int Samples, long WaitTicks, long? CopyTicks);
}
