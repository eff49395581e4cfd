using System.Buffers;
using SkiaSharp;

namespace Qlip.Data.Images;

// Hands an RgbImage (3 bytes a pixel) to Skia, which has no packed 24-bit colour type.
internal static class SkiaPixels
{
    public static SKImage ToSkImage(RgbImage image)
    {
        var length = image.Width * image.Height * 4;
        var rgba = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var rgb = image.Pixels;
            for (int i = 0, o = 0; i < rgb.Length; i += 3, o += 4)
            {
                rgba[o] = rgb[i];
                rgba[o + 1] = rgb[i + 1];
                rgba[o + 2] = rgb[i + 2];
                rgba[o + 3] = 255;
            }
            var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            return SKImage.FromPixelCopy(info, rgba.AsSpan(0, length)) ?? throw new InvalidOperationException("Skia could not wrap the pixels");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }
}
