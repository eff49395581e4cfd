using Qlip.Data.Images;
using Qlip.Testing.Data;
using SkiaSharp;

namespace Qlip.Data.Tests.Images;

public class SeparableResamplerTests
{
    private static RgbImage Photo(string name) =>
        ImageDecoder.Decode(File.ReadAllBytes(RealData.Photos.First(p => p.EndsWith(name, StringComparison.Ordinal))));

    [Theory]
    [InlineData(ResampleFilter.Bicubic, 37, 23, 16, 11)] // downscale
    [InlineData(ResampleFilter.Bicubic, 7, 5, 40, 31)]   // upscale: cubic weights go negative
    [InlineData(ResampleFilter.Box, 37, 23, 5, 19)]
    [InlineData(ResampleFilter.Box, 3, 4, 10, 9)]
    public void Constant_image_stays_constant(ResampleFilter filter, int width, int height, int outWidth, int outHeight)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3) (pixels[i], pixels[i + 1], pixels[i + 2]) = (200, 17, 93);
        var image = new RgbImage(width, height, pixels);
        foreach (var (x0, y0) in new[] { (0.0, 0.0), (0.5, 0.25) }) // whole image, and a fractional sub-rectangle
        {
            var resized = SeparableResampler.Resample(image, x0, y0, width - x0, height - y0, outWidth, outHeight, filter);
            Assert.Equal((outWidth, outHeight), (resized.Width, resized.Height));
            for (var y = 0; y < outHeight; y++)
            for (var x = 0; x < outWidth; x++)
                Assert.Equal(((byte)200, (byte)17, (byte)93), resized[x, y]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Box_reduction_by_an_integer_factor_gives_the_block_means(int factor)
    {
        var fashion = RgbImage.FromGray(28, 28, RealData.FashionMnistTest.Image(7));
        var size = 28 / factor;
        var reduced = SeparableResampler.Resample(fashion, 0, 0, 28, 28, size, size, ResampleFilter.Box);
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var sum = 0;
            for (var dy = 0; dy < factor; dy++)
            for (var dx = 0; dx < factor; dx++)
                sum += fashion[x * factor + dx, y * factor + dy].R;
            var n = factor * factor;
            var mean = (byte)((sum + n / 2) / n); // round half up, as the resampler does
            Assert.Equal((mean, mean, mean), reduced[x, y]);
        }
    }

    [Theory]
    [InlineData(ResampleFilter.Bicubic, 9, 5)]
    [InlineData(ResampleFilter.Bicubic, 9, 27)]
    [InlineData(ResampleFilter.Box, 9, 3)]
    [InlineData(ResampleFilter.Bicubic, 31, 7)]
    public void Symmetric_kernel_keeps_a_centred_line_centred(ResampleFilter filter, int size, int outSize)
    {
        // A white square with a black vertical line through the middle column and a gray horizontal one through the middle row.
        var pixels = new byte[size * size * 3];
        Array.Fill(pixels, (byte)255);
        var mid = size / 2;
        for (var i = 0; i < size; i++)
        {
            pixels.AsSpan((i * size + mid) * 3, 3).Clear();
            pixels.AsSpan((mid * size + i) * 3, 3).Fill(128);
        }
        var resized = SeparableResampler.Resample(new RgbImage(size, size, pixels), 0, 0, size, size, outSize, outSize, filter);
        var outMid = outSize / 2;
        for (var y = 0; y < outSize; y++)
        for (var x = 0; x < outSize; x++)
        {
            Assert.Equal(resized[x, y], resized[outSize - 1 - x, y]); // mirror images left-right…
            Assert.Equal(resized[x, y], resized[x, outSize - 1 - y]); // …and top-bottom
        }
        var row = Enumerable.Range(0, outSize).Select(x => resized[x, 0].R).ToList();
        Assert.Equal(outMid, row.IndexOf(row.Min())); // the darkest column is the middle one
        // The line's darkness is spread, not lost: Σ(255 − v) over a row ≈ 255 · outSize / size.
        var mass = row.Sum(v => 255.0 - v);
        var expected = 255.0 * outSize / size;
        Assert.True(Math.Abs(mass - expected) <= 0.1 * expected, $"line mass {mass:F0}, expected {expected:F0}");
    }

    [Theory]
    [InlineData(96, 0, 576, 576, 256, 30)]   // dog.jpg centre square, 2.25× down: Skia's cubic does not antialias, so the bound is looser
    [InlineData(300, 200, 100, 80, 250, 42)] // 2.5× up: both are the same Catmull-Rom
    public void Output_is_close_to_Skia_catmull_rom_on_a_photo(int x0, int y0, int width, int height, int outWidth, double minPsnr)
    {
        var dog = Photo("dog.jpg");
        var outHeight = outWidth * height / width;
        var ours = SeparableResampler.Resample(dog, x0, y0, width, height, outWidth, outHeight);
        var skia = SkiaResize(dog, SKRect.Create(x0, y0, width, height), outWidth, outHeight);
        var psnr = Psnr(ours, skia);
        Assert.True(psnr >= minPsnr, $"PSNR against Skia {psnr:F1} dB < {minPsnr} dB");
        if (width <= outWidth) return;
        // Downscaling, the stretched kernel antialiases: closer than Skia's to the exact area average.
        var area = SeparableResampler.Resample(dog, x0, y0, width, height, outWidth, outHeight, ResampleFilter.Box);
        Assert.True(Psnr(ours, area) > Psnr(skia, area) + 1,
            $"PSNR to the area average: ours {Psnr(ours, area):F1} dB, Skia {Psnr(skia, area):F1} dB");
    }

    private static RgbImage SkiaResize(RgbImage image, SKRect source, int width, int height)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, o = 0; i < image.Pixels.Length; i += 3, o += 4)
            (rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]) = (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2], 255);
        using var skImage = SKImage.FromPixelCopy(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
            canvas.DrawImage(skImage, source, SKRect.Create(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.CatmullRom));
        var output = bitmap.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3)
            (rgb[o], rgb[o + 1], rgb[o + 2]) = (output[i], output[i + 1], output[i + 2]);
        return new RgbImage(width, height, rgb);
    }

    private static double Psnr(RgbImage a, RgbImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        var mse = a.Pixels.Zip(b.Pixels, (x, y) => (double)(x - y) * (x - y)).Average();
        return 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
