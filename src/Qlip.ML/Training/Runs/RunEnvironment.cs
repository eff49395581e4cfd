using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;

namespace Qlip.ML.Training.Runs;

/// <summary>Where a run reads and writes: the host (CLI or TrainerHost) adapts its storage to these interfaces.</summary>
/// <param name="Data">The training shards.</param>
/// <param name="Checkpoints">The run's checkpoint store (resume reads the newest complete one).</param>
/// <param name="Metrics">Where metrics rows go (JSONL, blob, progress view).</param>
/// <param name="Artifacts">Where the report and plots go.</param>
public sealed record RunEnvironment(IShardStore Data, ICheckpointStore Checkpoints, IMetricsSink Metrics, IRunArtifacts Artifacts)
{
    /// <summary>
    /// The checkpoint store of another run by id (stage 2's <c>init_run</c>); it throws naming the run when the host
    /// has no such run. Null when the host cannot reach other runs.
    /// </summary>
    public Func<string, ICheckpointStore>? RunCheckpoints { get; init; }
}
