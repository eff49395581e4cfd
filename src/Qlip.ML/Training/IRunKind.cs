using Qlip.ML.Training.Data;

namespace Qlip.ML.Training;

/// <summary>
/// A kind of training run (<c>qlip-stage1</c>, <c>qlip-stage2</c>, later <c>t2i</c>, <c>um3</c>): a config record plus
/// the factory of its model, objective, optimizer, schedule and evaluation. Adding a kind is one class implementing
/// this; the <see cref="Trainer{TBatch}"/> owns the loop, checkpoints, metrics and resume.
/// </summary>
public interface IRunKind<in TConfig, TBatch>
    where TBatch : IBatch
{
    /// <summary>The kind's name as it appears in run messages.</summary>
    string Name { get; }

    /// <summary>
    /// Builds the run. The trainer calls this after seeding torch, so initialisation is reproducible; a resumed run
    /// then overwrites the weights and optimizer state from the checkpoint. With bf16 precision it is called a second
    /// time for the working copy, whose objective must run on that build's own model (<see cref="MixedPrecision{TBatch}"/>).
    /// </summary>
    TrainingRun<TBatch> Create(TConfig config);
}
