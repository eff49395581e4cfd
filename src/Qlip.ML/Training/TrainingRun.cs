using Qlip.ML.Training.Data;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.Schedules;
using TorchSharp;

namespace Qlip.ML.Training;

/// <summary>Everything a run kind builds for the <see cref="Trainer{TBatch}"/>: the model and how to train and evaluate it.</summary>
/// <param name="Model">The module whose state dict is checkpointed.</param>
/// <param name="Objective">Batch → losses.</param>
/// <param name="Optimizer">Optimizer over the model's trainable groups.</param>
/// <param name="Schedule">Learning-rate factor per step.</param>
/// <param name="Evaluator">Optional periodic evaluation.</param>
public sealed record TrainingRun<TBatch>(
    torch.nn.Module Model,
    IObjective<TBatch> Objective,
    GroupedOptimizer Optimizer,
    ILrSchedule Schedule,
    IEvaluator? Evaluator = null)
    where TBatch : IBatch;
