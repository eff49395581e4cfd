using Qlip.ML.Nn;
using static TorchSharp.torch;

namespace Qlip.ML.Evaluation;

/// <summary>
/// PSNR per image, 10·log10(R² / MSE), averaged over images (qlip-spec §6: on [0, 255] floats, R = 255). The MSE is
/// taken over all channels and pixels of one image in double precision. Identical images have PSNR +∞, and so does
/// a mean that includes one, which is what the definition gives.
/// </summary>
public static class PeakSignalToNoiseRatio
{
    /// <summary>PSNR of each image of two (B, C, H, W) batches on [0, <paramref name="dataRange"/>].</summary>
    public static double[] PerImage(Tensor original, Tensor reconstruction, double dataRange = 255)
    {
        ImageBatchChecks.SameShape(original, reconstruction);
        using var scope = NewDisposeScope();
        var diff = original.to_type(ScalarType.Float64) - reconstruction.to_type(ScalarType.Float64);
        var mse = diff.Squared().flatten(1).mean([1L]);                    // (B)
        return mse.data<double>().ToArray().Select(m => 10 * Math.Log10(dataRange * dataRange / m)).ToArray();
    }

    /// <summary>Mean of <see cref="PerImage"/>.</summary>
    public static double Mean(Tensor original, Tensor reconstruction, double dataRange = 255) =>
        PerImage(original, reconstruction, dataRange).Average();
}
