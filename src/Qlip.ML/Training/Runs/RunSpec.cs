namespace Qlip.ML.Training.Runs;

/// <summary>What to train, independent of where the data and outputs live (the CLI or a run message fills it).</summary>
/// <param name="RunId">The run's id (names its checkpoint and report folders).</param>
/// <param name="Kind">The run kind, e.g. <c>qlip-stage1</c> (see <see cref="RunKindRegistry"/>).</param>
/// <param name="Preset">The model preset, e.g. <c>small</c>.</param>
public sealed record RunSpec(string RunId, string Kind, string Preset)
{
    /// <summary>Overrides of the kind's hyperparameters by name (invariant-culture strings).</summary>
    public IReadOnlyDictionary<string, string> Hyperparameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Optimizer steps to train for; also the length of the cosine schedule.</summary>
    public required long MaxSteps { get; init; }

    /// <summary>Wall-clock budget; when it runs out the run checkpoints, evaluates and completes early.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Seeds torch, the data order and the shuffle buffer.</summary>
    public long Seed { get; init; }

    /// <summary>One intra-op thread and fixed seeds, so kill + resume is bit-identical.</summary>
    public bool Deterministic { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";
}
