using Qlip.ML.Training.Data;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.Schedules;
using TorchSharp;

namespace Qlip.ML.Training;

/// <summary>
/// Everything a run kind builds for the <see cref="Trainer{TBatch}"/>: the model and how to train and evaluate it.
/// Disposing it frees the model, the evaluator's held-out tensors and every optimizer's state (native memory the GC
/// does not see, so a host that trains run after run would otherwise grow by a model and its moments each time).
/// </summary>
/// <param name="Model">The module whose state dict is checkpointed.</param>
/// <param name="Objective">Batch → losses.</param>
/// <param name="Optimizer">Optimizer over the model's trainable groups.</param>
/// <param name="Schedule">Learning-rate factor per step.</param>
/// <param name="Evaluator">Optional periodic evaluation.</param>
/// <param name="AuxiliaryOptimizers">
/// Optimizers the objective steps itself, by a file-safe name (stage 2's <c>discriminator</c>: updated inside
/// <see cref="IObjective{TBatch}.Compute"/> on the same batch, zeroing its own gradients first). Their parameters are
/// part of <see cref="Model"/> (so the weights are checkpointed) and excluded from <see cref="Optimizer"/>
/// (<see cref="ParameterGroupBuilder.Exclude"/>); their state is checkpointed and restored like the main optimizer's.
/// </param>
public sealed record TrainingRun<TBatch>(
    torch.nn.Module Model,
    IObjective<TBatch> Objective,
    GroupedOptimizer Optimizer,
    ILrSchedule Schedule,
    IEvaluator? Evaluator = null,
    IReadOnlyDictionary<string, GroupedOptimizer>? AuxiliaryOptimizers = null) : IDisposable
    where TBatch : IBatch
{
    /// <inheritdoc />
    public void Dispose()
    {
        Model.Dispose();
        (Evaluator as IDisposable)?.Dispose();
        Optimizer.Dispose();
        foreach (var optimizer in AuxiliaryOptimizers?.Values ?? []) optimizer.Dispose();
    }
}
