using Qlip.ML.Nn;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Qlip.ML.Evaluation;

/// <summary>
/// SSIM (Wang et al. 2004) as qlip-spec §6 fixes it: 11×11 Gaussian window with σ = 1.5, K = (0.01, 0.03),
/// C1 = (K1·R)², C2 = (K2·R)², statistics per channel over valid windows only (no padding, like the paper's MATLAB
/// code and pytorch-msssim), the map averaged over channels and positions per image, then over images.
/// Inputs are on [0, R]: pass R = 255 for byte-range images or R = 1 for [0, 1] images; the two give the same value
/// because C1 and C2 scale with R². Images must be at least 11 pixels on each side.
/// </summary>
public static class StructuralSimilarity
{
    private const int WindowSize = 11;
    private const double Sigma = 1.5, K1 = 0.01, K2 = 0.03;

    /// <summary>SSIM of each image of two (B, C, H, W) batches on [0, <paramref name="dataRange"/>].</summary>
    public static double[] PerImage(Tensor original, Tensor reconstruction, double dataRange = 255)
    {
        ImageBatchChecks.SameShape(original, reconstruction);
        var (channels, height, width) = (original.shape[1], original.shape[2], original.shape[3]);
        if (height < WindowSize || width < WindowSize)
            throw new ArgumentException($"SSIM needs images of at least {WindowSize}×{WindowSize}, got {height}×{width}.", nameof(original));
        using var scope = NewDisposeScope();
        var x = original.to_type(ScalarType.Float64);
        var y = reconstruction.to_type(ScalarType.Float64);
        var window = GaussianWindow().expand(channels, 1, WindowSize, WindowSize);  // (C, 1, 11, 11), one filter per channel
        Tensor Blur(Tensor t) => F.conv2d(t, window, groups: channels);           // (B, C, H−10, W−10)

        var muX = Blur(x);
        var muY = Blur(y);
        var varX = Blur(x * x) - muX * muX;
        var varY = Blur(y * y) - muY * muY;
        var covXY = Blur(x * y) - muX * muY;
        var c1 = Math.Pow(K1 * dataRange, 2);
        var c2 = Math.Pow(K2 * dataRange, 2);
        var map = (muX * muY).Times(2L).Plus(c1) * covXY.Times(2L).Plus(c2) / ((muX * muX).Plus(muY * muY).Plus(c1) * varX.Plus(varY).Plus(c2));
        return map.flatten(1).mean([1L]).data<double>().ToArray();
    }

    /// <summary>Mean of <see cref="PerImage"/>.</summary>
    public static double Mean(Tensor original, Tensor reconstruction, double dataRange = 255) =>
        PerImage(original, reconstruction, dataRange).Average();

    private static Tensor GaussianWindow()
    {
        var offsets = ScalarOperands.Range(WindowSize, dtype: ScalarType.Float64).Minus(WindowSize / 2);
        var g = (-(offsets * offsets)).Over(2 * Sigma * Sigma).exp();
        g = g / g.sum();
        return outer(g, g).unsqueeze(0).unsqueeze(0);                                  // (1, 1, 11, 11)
    }
}
