using SkiaSharp;

namespace Qlip.Data.Images;

/// <summary>
/// Resizes <see cref="RgbImage"/>s the way img2dataset does (<see cref="ResizeMode"/>). Downscaling by 2× or more is
/// first done by exact area averaging to within 2× of the target (Pillow's "reducing gap" idea), then bicubic
/// (Catmull-Rom, the same kernel as Pillow/torchvision BICUBIC) does the rest, so large reductions do not alias.
/// </summary>
public static class ImageResizer
{
    /// <summary>The output size <see cref="Resize"/> gives for a <paramref name="width"/> × <paramref name="height"/> input.</summary>
    public static (int Width, int Height) OutputSize(int width, int height, int size, ResizeMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return mode switch
        {
            ResizeMode.CenterCrop or ResizeMode.Border => (size, size),
            ResizeMode.KeepRatio => Scaled(width, height, (double)size / Math.Min(width, height)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    /// <summary>Resizes <paramref name="image"/> to <paramref name="size"/> with <paramref name="mode"/>.</summary>
    public static RgbImage Resize(RgbImage image, int size, ResizeMode mode)
    {
        var (outW, outH) = OutputSize(image.Width, image.Height, size, mode);
        // The area of the source that is drawn, and where it lands in the output.
        SKRect src, dst;
        switch (mode)
        {
            case ResizeMode.CenterCrop:
                var side = Math.Min(image.Width, image.Height);
                src = SKRect.Create((image.Width - side) / 2f, (image.Height - side) / 2f, side, side);
                dst = SKRect.Create(0, 0, size, size);
                break;
            case ResizeMode.Border:
                var (w, h) = Scaled(image.Width, image.Height, (double)size / Math.Max(image.Width, image.Height));
                src = SKRect.Create(0, 0, image.Width, image.Height);
                dst = SKRect.Create((size - w) / 2, (size - h) / 2, w, h);
                break;
            default:
                src = SKRect.Create(0, 0, image.Width, image.Height);
                dst = SKRect.Create(0, 0, outW, outH);
                break;
        }
        if (mode != ResizeMode.Border && image.Width == outW && image.Height == outH)
            return image;

        var factor = (int)Math.Floor(Math.Min(src.Width / dst.Width, src.Height / dst.Height));
        if (factor >= 2)
        {
            image = BoxReduce(image, factor);
            src = new SKRect(src.Left / factor, src.Top / factor, src.Right / factor, src.Bottom / factor);
        }

        using var skImage = SkiaPixels.ToSkImage(image);
        using var bitmap = SkiaPixels.NewCanvasBitmap(outW, outH);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawImage(skImage, src, dst, new SKSamplingOptions(SKCubicResampler.CatmullRom));
        }
        return SkiaPixels.ToRgb(bitmap);
    }

    private static (int Width, int Height) Scaled(int width, int height, double scale) =>
        (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));

    // Mean of each factor × factor block; edge blocks average the pixels they have.
    private static RgbImage BoxReduce(RgbImage image, int factor)
    {
        var (w, h) = ((image.Width + factor - 1) / factor, (image.Height + factor - 1) / factor);
        var sums = new int[w * 3];
        var counts = new int[w];
        var output = new byte[w * h * 3];
        var pixels = image.Pixels;
        for (var oy = 0; oy < h; oy++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            var yEnd = Math.Min(image.Height, (oy + 1) * factor);
            for (var y = oy * factor; y < yEnd; y++)
            {
                var row = y * image.Width * 3;
                for (var x = 0; x < image.Width; x++)
                {
                    var ox = x / factor;
                    var i = row + x * 3;
                    sums[ox * 3] += pixels[i];
                    sums[ox * 3 + 1] += pixels[i + 1];
                    sums[ox * 3 + 2] += pixels[i + 2];
                    counts[ox]++;
                }
            }
            for (var ox = 0; ox < w; ox++)
            {
                var o = (oy * w + ox) * 3;
                var n = counts[ox];
                output[o] = (byte)((sums[ox * 3] + n / 2) / n);
                output[o + 1] = (byte)((sums[ox * 3 + 1] + n / 2) / n);
                output[o + 2] = (byte)((sums[ox * 3 + 2] + n / 2) / n);
            }
        }
        return new RgbImage(w, h, output);
    }
}
