using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Runs;

/// <summary>
/// The shared half of every run kind (architecture.md, "Run kinds"): a subclass supplies the config from the spec, the
/// model/objective/optimizer/schedule (<see cref="Create"/>) and its data; this class owns the rest — trainer options
/// from common hyperparameters, background prefetch, the time budget, the final evaluation and the report.
/// </summary>
public abstract class RunKind<TConfig, TBatch> : ITrainingRunKind, IRunKind<TConfig, TBatch>
    where TBatch : IBatch
{
    /// <inheritdoc cref="ITrainingRunKind.Name" />
    public abstract string Name { get; }

    /// <summary>The kind's config from the preset and hyperparameters; reads every hyperparameter it knows from <paramref name="hyperparameters"/>.</summary>
    public abstract TConfig Configure(RunSpec spec, Hyperparameters hyperparameters);

    /// <inheritdoc />
    public abstract TrainingRun<TBatch> Create(TConfig config);

    /// <summary>The kind's batch stream (the base class adds background prefetch).</summary>
    protected abstract IBatchSource<TBatch> OpenData(TConfig config, RunSpec spec, RunEnvironment environment);

    /// <summary>Global-norm gradient clip of the kind (null = none).</summary>
    protected abstract double? ClipNorm(TConfig config);

    /// <summary>The compute precision of the kind's forward and backward (default fp32).</summary>
    protected virtual TrainingPrecision Precision(TConfig config) => TrainingPrecision.Fp32;

    /// <summary>Whether the kind backpropagates into convolution inputs (see <see cref="TrainerOptions.ConvolutionInputGradients"/>; default false).</summary>
    protected virtual bool ConvolutionInputGradients(TConfig config) => false;

    /// <summary>
    /// Resolves what the config refers to in the run's environment before training (e.g. stage 2's init checkpoint
    /// in another run's store); throws naming what is missing. The default returns <paramref name="config"/>.
    /// </summary>
    protected virtual TConfig Bind(TConfig config, RunEnvironment environment, CancellationToken cancellationToken) => config;

    /// <summary>Lines the report states about the run (e.g. which perceptual network was used).</summary>
    protected virtual IReadOnlyDictionary<string, string> Notes(TConfig config) => new Dictionary<string, string>();

    /// <summary>Named groups of numbers for the report (<see cref="RunReport.Sections"/>).</summary>
    protected virtual IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Sections(TConfig config) =>
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>Figures of the kind itself, added to the evaluator's (e.g. stage 1's calibration probe curves).</summary>
    protected virtual IReadOnlyList<ReportFigure> Figures(TConfig config) => [];

    /// <summary>
    /// Runs once before training, e.g. stage 1's loss calibration; the time budget does not cover it. A resumed run's
    /// <see cref="RunStart.SavedValues"/> hold what its fresh start computed, so this can reuse instead of recompute.
    /// Returns the config to train and the run values every checkpoint saves; cancellation throws.
    /// </summary>
    protected virtual Task<(TConfig Config, IReadOnlyDictionary<string, string> RunValues)> BeforeTrainingAsync(TConfig config, RunStart start,
        CancellationToken cancellationToken) => Task.FromResult((config, start.SavedValues));

    /// <inheritdoc />
    public void Validate(RunSpec spec) => Prepare(spec);

    /// <inheritdoc />
    public async Task<RunOutcome> RunAsync(RunSpec spec, RunEnvironment environment, CancellationToken cancellationToken)
    {
        var (configured, options, hyperparameters) = Prepare(spec);
        var config = Bind(configured, environment, cancellationToken);
        var recorder = new RecordingMetricsSink(environment.Metrics);
        try
        {
            (config, options) = await StartAsync(config, new RunStart(spec, environment, options, new Dictionary<string, string>(), recorder), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new RunOutcome(new TrainState(0, 0, [], ""), Cancelled: true, StoppedByTimeBudget: false, new Dictionary<string, double>(), 0);
        }
        using var data = new PrefetchingBatchSource<TBatch>(OpenData(config, spec, environment), capacity: 3);
        var trainer = Trainer<TBatch>.For(this, config, data, environment.Checkpoints, recorder, options);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.MaxDuration is { } duration) budget.CancelAfter(duration);
        TrainResult result;
        try
        {
            result = await trainer.RunAsync(budget.Token);
        }
        catch
        {
            trainer.Run?.Dispose();
            throw;
        }
        using var run = trainer.Run!;  // model, evaluator and optimizer state, after the final evaluation
        if (result.Cancelled && cancellationToken.IsCancellationRequested)
            return new RunOutcome(result.State, Cancelled: true, StoppedByTimeBudget: false, new Dictionary<string, double>(), result.DataWaitFraction);

        var (evaluation, figures) = FinalEvaluation(run, recorder, result.State.Step);
        var outcome = new RunOutcome(result.State, Cancelled: false, StoppedByTimeBudget: result.Cancelled, evaluation, result.DataWaitFraction);
        var notes = new Dictionary<string, string>(Notes(config)) { ["precision"] = PrecisionNote(options.Precision) };
        var report = new RunReport(spec, outcome, recorder.Rows, [.. Figures(config), .. figures], hyperparameters.Resolved, notes)
        {
            Sections = Sections(config),
        };
        await RunReport.WriteAsync(environment.Artifacts, report, CancellationToken.None);
        return outcome;
    }

    private async Task<(TConfig, TrainerOptions)> StartAsync(TConfig config, RunStart start, CancellationToken ct)
    {
        var checkpoints = start.Environment.Checkpoints;
        var saved = await checkpoints.LatestAsync(ct) is { } step ? (await TrainingCheckpoint.LoadStateAsync(checkpoints, step, ct)).RunValues : null;
        var (prepared, runValues) = await BeforeTrainingAsync(config, start with { SavedValues = saved ?? start.SavedValues }, ct);
        return (prepared, start.Options with { RunValues = runValues });
    }

    private (TConfig Config, TrainerOptions Options, Hyperparameters Hyperparameters) Prepare(RunSpec spec)
    {
        var hyperparameters = new Hyperparameters(spec.Hyperparameters);
        var config = Configure(spec, hyperparameters);
        var options = new TrainerOptions
        {
            MaxSteps = spec.MaxSteps,
            ClipNorm = ClipNorm(config),
            GradAccumulation = hyperparameters.Int("grad_accumulation", 1),
            LogEvery = hyperparameters.Int("log_every", 10),
            EvalEvery = hyperparameters.Int("eval_every", 0),
            CheckpointEvery = hyperparameters.Int("checkpoint_every", 100),
            Seed = spec.Seed,
            Deterministic = spec.Deterministic,
            Precision = Precision(config),
            ConvolutionInputGradients = ConvolutionInputGradients(config),
        };
        options.Validate();
        hyperparameters.EnsureAllUsed(Name);
        return (config, options, hyperparameters);
    }

    private static string PrecisionNote(TrainingPrecision precision) => precision switch
    {
        TrainingPrecision.Bf16 => "bf16 forward and backward on a working copy; fp32 master weights, optimizer state, evaluation and checkpoints",
        _ => "fp32",
    };

    // The trainer evaluates at its last step; a run the time budget stopped did not get there, so evaluate here.
    private static (IReadOnlyDictionary<string, double>, IReadOnlyList<ReportFigure>) FinalEvaluation(
        TrainingRun<TBatch> run, RecordingMetricsSink recorder, long step)
    {
        if (run.Evaluator is null) return (new Dictionary<string, double>(), []);
        run.Model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var last = recorder.Rows.LastOrDefault(r => r.Kind == Metrics.MetricsRow.Eval && r.Step == step);
        var evaluation = last?.Values ?? run.Evaluator.Evaluate(run.Model, step, CancellationToken.None);
        if (last is null) recorder.Write(new Metrics.MetricsRow(step, Metrics.MetricsRow.Eval, evaluation));
        var figures = run.Evaluator is IReportingEvaluator reporting ? reporting.Figures(run.Model) : [];
        return (evaluation, figures);
    }
}
