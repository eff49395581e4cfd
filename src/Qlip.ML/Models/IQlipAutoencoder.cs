using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>
/// The image half of QLIP that reconstruction metrics need: images → token ids and images → reconstructions.
/// <see cref="QlipModel"/> has it, and so does a stage-2 model, which has no text tower.
/// </summary>
public interface IQlipAutoencoder
{
    /// <summary>The architecture (the vision and decoder parts apply).</summary>
    QlipConfig Config { get; }

    /// <summary>Images (B, C, H, W) → BSQ token ids (B, N), int64.</summary>
    Tensor Tokenize(Tensor pixelValues);

    /// <summary>Images → quantize → decode, (B, C, H, W) in CLIP-normalized space.</summary>
    Tensor Reconstruct(Tensor pixelValues);
}
