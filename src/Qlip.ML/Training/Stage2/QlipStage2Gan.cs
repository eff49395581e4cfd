using Qlip.ML.Models;

namespace Qlip.ML.Training.Stage2;

/// <summary>The discriminator side of stage 2 (spec §4; BSQ-ViT's recipe, StyleGAN2's lazy R1).</summary>
public sealed record QlipStage2Gan
{
    /// <summary>The PatchGAN's shape.</summary>
    public PatchDiscriminatorConfig Discriminator { get; init; } = new();

    /// <summary>Peak lr of the discriminator's AdamW (it follows the same warm-up + cosine factor).</summary>
    public double Lr { get; init; } = 1e-4;

    /// <summary>Decoupled weight decay of the discriminator's conv weights.</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>R1 weight γ; the penalty enters as γ/2 · R1 · <see cref="R1Every"/>.</summary>
    public double R1Gamma { get; init; } = 10;

    /// <summary>R1 is computed on steps where step % R1Every == 0 (lazy regularization).</summary>
    public int R1Every { get; init; } = 16;

    /// <summary>First step at which the discriminator trains and the generator's adversarial term is on.</summary>
    public long Start { get; init; }
}
