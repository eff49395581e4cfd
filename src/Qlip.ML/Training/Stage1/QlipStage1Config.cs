using Qlip.ML.Models;

namespace Qlip.ML.Training.Stage1;

/// <summary>Everything a stage-1 run needs besides its data and stores (defaults from spec §4).</summary>
public sealed record QlipStage1Config
{
    /// <summary>The architecture (from the preset).</summary>
    public required QlipConfig Model { get; init; }

    /// <summary>Loss weights.</summary>
    public QlipStage1Weights Weights { get; init; } = new();

    /// <summary><c>lamb</c> (paper) or <c>adamw</c>.</summary>
    public string Optimizer { get; init; } = "lamb";

    /// <summary>Peak lr of parameters no module rule covers (projections, logit scale).</summary>
    public double Lr { get; init; } = 5e-4;

    /// <summary>Peak lr of the vision encoder E_v.</summary>
    public double VisionLr { get; init; } = 2e-4;

    /// <summary>Peak lr of the text encoder E_t.</summary>
    public double TextLr { get; init; } = 2e-5;

    /// <summary>Peak lr of the bottleneck (quant_embed, quant_embed_post) and the decoder.</summary>
    public double DecoderLr { get; init; } = 2e-3;

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
}
