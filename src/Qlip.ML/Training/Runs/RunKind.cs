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

    /// <summary>
    /// Resolves what the config refers to in the run's environment before training (e.g. stage 2's init checkpoint
    /// in another run's store); throws naming what is missing. The default returns <paramref name="config"/>.
    /// </summary>
    protected virtual TConfig Bind(TConfig config, RunEnvironment environment, CancellationToken cancellationToken) => config;

    /// <summary>Lines the report states about the run (e.g. which perceptual network was used).</summary>
    protected virtual IReadOnlyDictionary<string, string> Notes(TConfig config) => new Dictionary<string, string>();

    /// <inheritdoc />
    public void Validate(RunSpec spec) => Prepare(spec);

    /// <inheritdoc />
    public async Task<RunOutcome> RunAsync(RunSpec spec, RunEnvironment environment, CancellationToken cancellationToken)
    {
        var (configured, options, hyperparameters) = Prepare(spec);
        var config = Bind(configured, environment, cancellationToken);
        var recorder = new RecordingMetricsSink(environment.Metrics);
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
            trainer.Run?.Model.Dispose();
            throw;
        }
        using var model = trainer.Run!.Model;
        if (result.Cancelled && cancellationToken.IsCancellationRequested)
            return new RunOutcome(result.State, Cancelled: true, StoppedByTimeBudget: false, new Dictionary<string, double>(), result.DataWaitFraction);

        var (evaluation, figures) = FinalEvaluation(trainer.Run, recorder, result.State.Step);
        var outcome = new RunOutcome(result.State, Cancelled: false, StoppedByTimeBudget: result.Cancelled, evaluation, result.DataWaitFraction);
        await RunReport.WriteAsync(environment.Artifacts, new RunReport(spec, outcome, recorder.Rows, figures, hyperparameters.Resolved, Notes(config)),
            CancellationToken.None);
        return outcome;
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
        };
        options.Validate();
        hyperparameters.EnsureAllUsed(Name);
        return (config, options, hyperparameters);
    }

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
