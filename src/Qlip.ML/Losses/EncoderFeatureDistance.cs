using Qlip.ML.Models;
using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>
/// The perceptual term when no LPIPS weights are given: a distance between the frozen QLIP vision encoder's features
/// of x̂ and of x. Each block's output (B, N+1, D) is layer-normalized over D without affine parameters (so every
/// layer weighs alike, as LPIPS unit-normalizes its channels), the squared difference is averaged over tokens and
/// channels, and the layers are averaged. It is not LPIPS (no human-calibrated heads, a network trained on this
/// data): a non-standard, honestly named substitute (spec §4, §6). The encoder must be frozen; gradients reach x̂ only,
/// through the patchify conv, so inside <see cref="Native.LibTorchBackends.ReferenceConvolutions"/> as a stage-2 run does.
/// </summary>
public sealed class EncoderFeatureDistance(QlipVisionEncoder encoder, int layers) : IPerceptualLoss
{
    /// <inheritdoc />
    public string Description => Describe(layers);

    /// <summary>The report's description of this loss over an encoder with <paramref name="blocks"/> blocks.</summary>
    public static string Describe(int blocks) =>
        $"QLIP vision-encoder feature distance (fallback, not LPIPS: frozen encoder of the init checkpoint, layer-normalized outputs of its {blocks} blocks, mean squared difference averaged over blocks)";

    /// <inheritdoc />
    public Tensor Compute(Tensor reconstruction, Tensor target)
    {
        IReadOnlyList<Tensor> targets;
        using (no_grad()) targets = encoder.HiddenStates(target);
        var outputs = encoder.HiddenStates(reconstruction);                    // embeddings, then each block: (B, N+1, D)
        var distances = Enumerable.Range(1, outputs.Count - 1)
            .Select(l => nn.functional.mse_loss(Normalize(outputs[l]), Normalize(targets[l])))
            .ToArray();
        return stack(distances).mean();
    }

    private static Tensor Normalize(Tensor x) => nn.functional.layer_norm(x, [x.shape[^1]]);
}
