using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>Pixel reconstruction loss L_mse (spec §4), computed in the CLIP-normalized space the decoder outputs.</summary>
public static class ReconstructionLoss
{
    /// <summary>Mean squared error over every pixel and channel, in fp32 whatever the inputs' dtype (a mean over B·C·H·W values).</summary>
    public static Tensor Compute(Tensor reconstruction, Tensor target) =>
        nn.functional.mse_loss(reconstruction.to_type(ScalarType.Float32), target.to_type(ScalarType.Float32));
}
