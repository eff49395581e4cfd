using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>Pixel reconstruction loss L_mse (spec §4), computed in the CLIP-normalized space the decoder outputs.</summary>
public static class ReconstructionLoss
{
    /// <summary>Mean squared error over every pixel and channel.</summary>
    public static Tensor Compute(Tensor reconstruction, Tensor target) => nn.functional.mse_loss(reconstruction, target);
}
