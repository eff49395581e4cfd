using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>A perceptual distance between reconstructions and targets (stage 2's α_p term), differentiable in the reconstruction.</summary>
public interface IPerceptualLoss
{
    /// <summary>Which network computes it, stated in the run report (e.g. "LPIPS-VGG16 from …").</summary>
    string Description { get; }

    /// <summary>Mean distance over the batch (rank 0) of (B, 3, H, W) CLIP-normalized images.</summary>
    Tensor Compute(Tensor reconstruction, Tensor target);
}
