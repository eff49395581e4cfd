namespace Qlip.ML.Training;

/// <summary>How the <see cref="Trainer{TBatch}"/> runs the loop (the run kind's config holds the model and loss settings).</summary>
public sealed record TrainerOptions
{
    /// <summary>Optimizer steps to train for (a resumed run continues up to this step).</summary>
    public required long MaxSteps { get; init; }

    /// <summary>Micro-batches accumulated per optimizer step; the total is divided by it so the gradient is their mean.</summary>
    public int GradAccumulation { get; init; } = 1;

    /// <summary>Global-norm clip; null leaves gradients unscaled (the norm is still logged).</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Write a train metrics row every N steps (and at the last step).</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Evaluate every N steps (and at the last step); 0 evaluates only at the end.</summary>
    public int EvalEvery { get; init; }

    /// <summary>Checkpoint every N steps (and at the end and on cancellation); 0 only at the end and on cancellation.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Seed of torch's global generator, set before the run is built.</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>
    /// One intra-op thread, so a killed and resumed run ends with the same bits as an
    /// uninterrupted one. Slower; for tests and reproductions. Torch's generator and thread count are process-wide,
    /// so this holds when nothing else in the process uses them while the run trains (one run per TrainerHost).
    /// </summary>
    public bool Deterministic { get; init; }

    /// <summary>
    /// fp32, or bf16 forward/backward with fp32 master weights (<see cref="MixedPrecision{TBatch}"/>); checkpoints are
    /// fp32 either way, so a run can resume in the other precision.
    /// </summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Fp32;

    /// <summary>
    /// Whether gradients flow into the inputs of convolutions (a discriminator, a perceptual network): the run then
    /// trains with libtorch's own conv kernels, because oneDNN's backward-data can turn them NaN
    /// (<see cref="Native.LibTorchBackends.ReferenceConvolutions"/>).
    /// </summary>
    public bool ConvolutionInputGradients { get; init; }

    /// <summary>The <see cref="TrainState.RunValues"/> a fresh run starts with (a resumed run keeps its checkpoint's).</summary>
    public IReadOnlyDictionary<string, string>? RunValues { get; init; }

    /// <summary>Throws naming the field that is out of range.</summary>
    public void Validate()
    {
        if (MaxSteps <= 0) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "must be > 0");
        if (GradAccumulation <= 0) throw new ArgumentOutOfRangeException(nameof(GradAccumulation), GradAccumulation, "must be > 0");
        if (ClipNorm is <= 0) throw new ArgumentOutOfRangeException(nameof(ClipNorm), ClipNorm, "must be > 0 or null");
        if (LogEvery <= 0) throw new ArgumentOutOfRangeException(nameof(LogEvery), LogEvery, "must be > 0");
        if (EvalEvery < 0) throw new ArgumentOutOfRangeException(nameof(EvalEvery), EvalEvery, "must be ≥ 0");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "must be ≥ 0");
    }
}
