using Qlip.ML.Training.QlipRuns;

namespace Qlip.ML.Training.Stage2;

/// <summary>Everything a stage-2 run needs besides its data and stores (defaults from spec §4).</summary>
public sealed record QlipStage2Config
{
    /// <summary>Architecture, AdamW moments and decay, clip (1), schedule, data and evaluation sizes.</summary>
    public required QlipRunSettings Settings { get; init; }

    /// <summary>Loss weights.</summary>
    public QlipStage2Weights Weights { get; init; } = new();

    /// <summary>Discriminator, its optimizer and R1.</summary>
    public QlipStage2Gan Gan { get; init; } = new();

    /// <summary>Peak lr of the bottleneck and the decoder (everything the generator trains).</summary>
    public double DecoderLr { get; init; } = 1e-4;

    /// <summary>A local stage-1 checkpoint: a run folder, its <c>checkpoints/</c>, one <c>step-*</c> folder or a weights file.</summary>
    public string? InitCheckpoint { get; init; }

    /// <summary>A stage-1 run id whose newest complete checkpoint the host resolves.</summary>
    public string? InitRun { get; init; }

    /// <summary>LPIPS-VGG16 weights (safetensors); null = the encoder-feature fallback.</summary>
    public string? PerceptualWeights { get; init; }

    /// <summary>The resolved stage-1 weights (set by the run kind before training).</summary>
    public InitWeights? Init { get; init; }
}
