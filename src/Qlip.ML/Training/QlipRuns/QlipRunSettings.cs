using Qlip.ML.Configs;
using Qlip.ML.Models;
using Qlip.ML.Training.Runs;

namespace Qlip.ML.Training.QlipRuns;

/// <summary>
/// What every QLIP run kind (stage 1, stage 2) reads alike: the architecture, AdamW/LAMB moments and decay, clipping,
/// the warm-up + cosine schedule, the data stream and the evaluation sizes. Each kind supplies its own defaults
/// (stage 1 clips at 5, stage 2 at 1: spec §4).
/// </summary>
public sealed record QlipRunSettings
{
    /// <summary>The architecture (from the preset).</summary>
    public required QlipConfig Model { get; init; }

    /// <summary>Decoupled weight decay (not on norms, biases, embeddings or the logit scale).</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>Adam β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β2.</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>Global-norm gradient clip.</summary>
    public double ClipNorm { get; init; } = 5;

    /// <summary>Linear warm-up steps.</summary>
    public required long WarmupSteps { get; init; }

    /// <summary>Steps of the cosine schedule (the run's step budget).</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Final lr as a fraction of the peak.</summary>
    public double MinLrRatio { get; init; } = 0.1;

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Samples in the shuffle buffer.</summary>
    public int ShuffleBuffer { get; init; } = 1000;

    /// <summary>Held-out Fashion-MNIST test images for zero-shot and PSNR/SSIM.</summary>
    public int EvalImages { get; init; } = 1000;

    /// <summary>Packaged photos (resized) for PSNR/SSIM.</summary>
    public int EvalPhotos { get; init; } = 8;

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>fp32, or bf16 forward/backward with fp32 master weights (<see cref="MixedPrecision{TBatch}"/>).</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Fp32;

    /// <summary>
    /// The settings of <paramref name="spec"/>: preset, step budget and device from the spec, the rest from the
    /// hyperparameters <c>weight_decay beta1 beta2 clip warmup_steps min_lr_ratio batch_size shuffle_buffer eval_images
    /// eval_photos precision</c> (<c>fp32</c> | <c>bf16</c>), each defaulting to <paramref name="clipNorm"/> or this record's default.
    /// </summary>
    public static QlipRunSettings Read(RunSpec spec, Hyperparameters hp, double clipNorm)
    {
        var defaults = new QlipRunSettings { Model = QlipPresets.Load(spec.Preset), WarmupSteps = 0, TotalSteps = spec.MaxSteps, ClipNorm = clipNorm };
        return defaults with
        {
            WeightDecay = hp.Double("weight_decay", defaults.WeightDecay),
            Beta1 = hp.Double("beta1", defaults.Beta1),
            Beta2 = hp.Double("beta2", defaults.Beta2),
            ClipNorm = hp.Double("clip", defaults.ClipNorm),
            // The paper warms up for 2k of ~100k+ steps; short runs warm up for 5 % of their budget.
            WarmupSteps = hp.Long("warmup_steps", Math.Min(2000, spec.MaxSteps / 20)),
            MinLrRatio = hp.Double("min_lr_ratio", defaults.MinLrRatio),
            BatchSize = hp.Int("batch_size", defaults.BatchSize),
            ShuffleBuffer = hp.Int("shuffle_buffer", defaults.ShuffleBuffer),
            EvalImages = hp.Int("eval_images", defaults.EvalImages),
            EvalPhotos = hp.Int("eval_photos", defaults.EvalPhotos),
            Device = ParseDevice(spec.Device),
            Precision = hp.Choice("precision", defaults.Precision),
        };
    }

    /// <summary><c>cpu</c> or <c>cuda</c>; cuda must be available.</summary>
    public static string ParseDevice(string device) => device switch
    {
        "cpu" => device,
        "cuda" when TorchSharp.torch.cuda.is_available() => device,
        "cuda" => throw new ArgumentException("device 'cuda' requested but CUDA is not available"),
        _ => throw new ArgumentException($"unknown device '{device}': use cpu or cuda"),
    };
}
