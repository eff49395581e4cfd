namespace Qlip.ML.Training.Runs;

/// <summary>A run kind as hosts see it: validate a spec, then run it end to end (train, evaluate, report).</summary>
public interface ITrainingRunKind
{
    /// <summary>The kind's name as it appears in run messages (<c>qlip-stage1</c>, …).</summary>
    string Name { get; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when the preset or a hyperparameter is unknown or invalid.</summary>
    void Validate(RunSpec spec);

    /// <summary>Trains (resuming the newest checkpoint), evaluates and writes the report; cancellation checkpoints and returns.</summary>
    Task<RunOutcome> RunAsync(RunSpec spec, RunEnvironment environment, CancellationToken cancellationToken);
}
