using Qlip.ML.Evaluation;
using Qlip.ML.Tests.Training;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Evaluation;

/// <summary>PSNR and SSIM on real Fashion-MNIST test images against analytic values.</summary>
public class ReconstructionMetricsTests
{
    [Fact]
    public void Psnr_of_identical_images_is_infinite()
    {
        var (images, _) = FashionMnistTestData.Slice(train: false, 0, 8);
        Assert.All(PeakSignalToNoiseRatio.PerImage(images, images.clone()), p => Assert.Equal(double.PositiveInfinity, p));
    }

    [Fact]
    public void Psnr_of_a_known_error_is_the_analytic_value()
    {
        var (images, _) = FashionMnistTestData.Slice(train: false, 0, 8);
        // ±6 in a checkerboard: every pixel's squared error is exactly 36.
        var sign = (arange(28).unsqueeze(1) + arange(28).unsqueeze(0)).remainder(2) * 2 - 1;  // (28, 28) of ±1
        var noisy = images + 6 * sign.to_type(ScalarType.Float32);
        var expected = 10 * Math.Log10(255.0 * 255.0 / 36.0);                                  // 30.17 dB
        Assert.All(PeakSignalToNoiseRatio.PerImage(images, noisy), p => Assert.Equal(expected, p, 6));
    }

    [Fact]
    public void Psnr_of_gaussian_noise_is_close_to_the_analytic_value()
    {
        var (images, _) = FashionMnistTestData.Slice(train: false, 0, 64);
        var generator = new Generator(7);
        var noisy = images + 10 * randn(images.shape, generator: generator);
        Assert.Equal(10 * Math.Log10(255.0 * 255.0 / 100.0), PeakSignalToNoiseRatio.Mean(images, noisy), 1);  // 28.1 dB
    }

    [Fact]
    public void Ssim_of_identical_images_is_one()
    {
        var (images, _) = FashionMnistTestData.Slice(train: false, 0, 8);
        Assert.All(StructuralSimilarity.PerImage(images, images.clone()), s => Assert.Equal(1.0, s, 12));
    }

    [Fact]
    public void Ssim_falls_as_noise_grows()
    {
        var (images, _) = FashionMnistTestData.Slice(train: false, 0, 16);
        var generator = new Generator(11);
        var noise = randn(images.shape, generator: generator);
        var mild = StructuralSimilarity.Mean(images, images + 5 * noise);
        var strong = StructuralSimilarity.Mean(images, images + 25 * noise);
        Assert.InRange(mild, 0.5, 0.999);
        Assert.True(strong < mild - 0.1, $"SSIM with σ=25 ({strong:F4}) should be well below σ=5 ({mild:F4})");
    }

    [Fact]
    public void Ssim_of_constant_images_is_the_luminance_term()
    {
        // Constant images have zero variance, so SSIM = (2ab + C1) / (a² + b² + C1) with C1 = (0.01·255)².
        var a = full(1, 3, 16, 16, 100f);
        var b = full(1, 3, 16, 16, 140f);
        var c1 = Math.Pow(0.01 * 255, 2);
        Assert.Equal((2 * 100.0 * 140 + c1) / (100.0 * 100 + 140.0 * 140 + c1), StructuralSimilarity.Mean(a, b), 12);
    }

    [Fact]
    public void Ssim_is_the_same_on_unit_and_byte_range()
    {
        var (images, _) = FashionMnistTestData.Slice(train: false, 0, 4);
        var blurred = nn.functional.avg_pool2d(images, 3, stride: 1, padding: 1);
        Assert.Equal(StructuralSimilarity.Mean(images, blurred), StructuralSimilarity.Mean(images / 255, blurred / 255, dataRange: 1), 7);  // float32 /255 rounding
    }

    [Fact]
    public void Mismatched_shapes_are_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => PeakSignalToNoiseRatio.Mean(zeros(1, 1, 28, 28), zeros(1, 1, 28, 27)));
        Assert.Contains("[1, 1, 28, 27]", ex.Message);
    }
}
