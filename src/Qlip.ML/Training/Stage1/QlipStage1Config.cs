using Qlip.ML.Training.QlipRuns;

namespace Qlip.ML.Training.Stage1;

/// <summary>Everything a stage-1 run needs besides its data and stores (defaults from spec §4).</summary>
public sealed record QlipStage1Config
{
    /// <summary>Architecture, optimizer moments and decay, clip, schedule, data and evaluation sizes.</summary>
    public required QlipRunSettings Settings { get; init; }

    /// <summary>Loss weights (after calibration: the calibrated α_r, with α_q and α_z scaled by the same factor).</summary>
    public QlipStage1Weights Weights { get; init; } = new();

    /// <summary>Set α_r from probe runs before training (<see cref="QlipStage1Calibration"/>) instead of taking it as given.</summary>
    public bool Calibrate { get; init; }

    /// <summary>Steps of each calibration probe.</summary>
    public int ProbeSteps { get; init; } = 100;

    /// <summary>The calibration the weights came from (null when not calibrated, or before it ran).</summary>
    public QlipStage1Calibration? Calibration { get; init; }

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
}
