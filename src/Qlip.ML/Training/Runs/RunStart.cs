using Qlip.ML.Training.Metrics;

namespace Qlip.ML.Training.Runs;

/// <summary>What a run kind sees in its step before training (<c>RunKind.BeforeTrainingAsync</c>).</summary>
/// <param name="Spec">The run being trained.</param>
/// <param name="Environment">Its data and stores.</param>
/// <param name="Options">The trainer options the run will use (seed, thread mode, logging).</param>
/// <param name="SavedValues">The run values of the newest checkpoint (empty for a fresh run).</param>
/// <param name="Metrics">The run's metrics sink (rows written here reach metrics.jsonl and the report).</param>
public sealed record RunStart(RunSpec Spec, RunEnvironment Environment, TrainerOptions Options,
    IReadOnlyDictionary<string, string> SavedValues, IMetricsSink Metrics);
