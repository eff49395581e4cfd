using Qlip.ML.Training.Data;

namespace Qlip.ML.Training;

/// <summary>
/// One training stage's loss (open_clip's task): runs the model on a batch and returns the weighted total plus named
/// terms. It knows nothing of optimizers, schedules or checkpoints, so one <see cref="Trainer{TBatch}"/> serves every stage.
/// </summary>
public interface IObjective<in TBatch>
    where TBatch : IBatch
{
    /// <summary>Forward pass and loss for <paramref name="batch"/> at optimizer step <paramref name="step"/>, inside the step's dispose scope.</summary>
    LossBreakdown Compute(TBatch batch, long step);
}
