namespace Qlip.Data.Images;

/// <summary>
/// Resizes <see cref="RgbImage"/>s the way img2dataset does (<see cref="ResizeMode"/>). Downscaling by 2× or more is
/// first done by exact area averaging to within 2× of the target (Pillow's "reducing gap" idea), then
/// <see cref="SeparableResampler"/> does the rest with antialiased bicubic (Catmull-Rom stretched by the scale, Pillow's and
/// torchvision's BICUBIC with antialias), so reductions do not alias.
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
        // The area of the source that is drawn (x, y, width, height), and the size and offset it lands at in the output.
        double sx = 0, sy = 0, sw = image.Width, sh = image.Height;
        int dw = outW, dh = outH;
        switch (mode)
        {
            case ResizeMode.CenterCrop:
                sw = sh = Math.Min(image.Width, image.Height);
                (sx, sy) = ((image.Width - sw) / 2, (image.Height - sh) / 2);
                break;
            case ResizeMode.Border:
                (dw, dh) = Scaled(image.Width, image.Height, (double)size / Math.Max(image.Width, image.Height));
                break;
        }
        if (mode != ResizeMode.Border && image.Width == outW && image.Height == outH)
            return image;

        var factor = (int)Math.Floor(Math.Min(sw / dw, sh / dh));
        if (factor >= 2)
        {
            image = BoxReduce(image, factor);
            (sx, sy, sw, sh) = (sx / factor, sy / factor, Math.Min(sw / factor, image.Width - sx / factor), Math.Min(sh / factor, image.Height - sy / factor));
        }
        var resized = SeparableResampler.Resample(image, sx, sy, sw, sh, dw, dh);
        return mode == ResizeMode.Border ? OnWhite(resized, size) : resized;
    }

    // Centres `image` on a white size × size square.
    private static RgbImage OnWhite(RgbImage image, int size)
    {
        var output = new byte[size * size * 3];
        Array.Fill(output, (byte)255);
        var (left, top) = ((size - image.Width) / 2, (size - image.Height) / 2);
        for (var y = 0; y < image.Height; y++)
            Array.Copy(image.Pixels, y * image.Width * 3, output, ((top + y) * size + left) * 3, image.Width * 3);
        return new RgbImage(size, size, output);
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
