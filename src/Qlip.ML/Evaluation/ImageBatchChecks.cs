using static TorchSharp.torch;

namespace Qlip.ML.Evaluation;

/// <summary>Argument checks shared by the image metrics.</summary>
internal static class ImageBatchChecks
{
    public static void SameShape(Tensor original, Tensor reconstruction)
    {
        if (original.dim() != 4)
            throw new ArgumentException($"Expected images as (B, C, H, W), got [{string.Join(", ", original.shape)}].", nameof(original));
        if (!original.shape.SequenceEqual(reconstruction.shape))
            throw new ArgumentException(
                $"Shapes differ: original [{string.Join(", ", original.shape)}], reconstruction [{string.Join(", ", reconstruction.shape)}].",
                nameof(reconstruction));
    }
}
