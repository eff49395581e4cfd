using Qlip.ML.Nn;
using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>
/// Symmetric InfoNCE (spec §4, CLIP): the mean of the image→text and text→image cross-entropies over the batch, in fp32
/// whatever the logits' dtype (a log-softmax over B needs fp32's mantissa).
/// </summary>
public static class ContrastiveLoss
{
    /// <summary>The loss for <paramref name="logitsPerImage"/> (B, B), row i = image i against every text; pair i is the positive.</summary>
    public static Tensor Compute(Tensor logitsPerImage)
    {
        logitsPerImage = logitsPerImage.to_type(ScalarType.Float32);
        var labels = ScalarOperands.Range(logitsPerImage.shape[0], logitsPerImage.device);
        var imageToText = nn.functional.cross_entropy(logitsPerImage, labels);
        var textToImage = nn.functional.cross_entropy(logitsPerImage.t(), labels);
        return imageToText.Plus(textToImage).Over(2);
    }
}
