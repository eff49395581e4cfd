using SkiaSharp;

namespace Qlip.Data.Images;

/// <summary>Encodes images to PNG (lossless) or JPEG. The same pixels always give the same bytes.</summary>
public static class ImageEncoder
{
    /// <summary>Lossless 8-bit RGB PNG.</summary>
    public static byte[] EncodePng(RgbImage image)
    {
        using var skImage = SkiaPixels.ToSkImage(image);
        return Encode(skImage, pixmap => pixmap.Encode(SKPngEncoderOptions.Default));
    }

    /// <summary>Lossless 8-bit grayscale PNG of <paramref name="gray"/> (row-major, width × height bytes).</summary>
    public static byte[] EncodeGrayPng(ReadOnlySpan<byte> gray, int width, int height)
    {
        if (gray.Length != width * height)
            throw new ArgumentException($"gray has {gray.Length} bytes, expected {width}×{height}", nameof(gray));
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var skImage = SKImage.FromPixelCopy(info, gray) ?? throw new InvalidOperationException("Skia could not wrap the pixels");
        return Encode(skImage, pixmap => pixmap.Encode(SKPngEncoderOptions.Default));
    }

    /// <summary>Baseline JPEG with 4:2:0 chroma subsampling at <paramref name="quality"/> (1..100).</summary>
    public static byte[] EncodeJpeg(RgbImage image, int quality = 95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        using var skImage = SkiaPixels.ToSkImage(image);
        var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
        return Encode(skImage, pixmap => pixmap.Encode(options));
    }

    private static byte[] Encode(SKImage image, Func<SKPixmap, SKData?> encode)
    {
        using var pixmap = image.PeekPixels() ?? throw new InvalidOperationException("Skia image has no raster pixels");
        using var data = encode(pixmap) ?? throw new InvalidOperationException("Skia could not encode the image");
        return data.ToArray();
    }
}
