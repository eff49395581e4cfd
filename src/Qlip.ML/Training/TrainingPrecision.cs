namespace Qlip.ML.Training;

/// <summary>The dtype a run's forward and backward compute in (hyperparameter <c>precision</c>).</summary>
public enum TrainingPrecision
{
    /// <summary>Everything in fp32.</summary>
    Fp32,

    /// <summary>
    /// Forward and backward in bfloat16 on a working copy of the model; fp32 master weights own the optimizer state,
    /// evaluation and checkpoints (<see cref="MixedPrecision{TBatch}"/>).
    /// </summary>
    Bf16,
}
