using System.Buffers;
using SkiaSharp;

namespace Qlip.Data.Images;

/// <summary>
/// Decodes JPEG, PNG, WebP (and GIF/BMP) bytes into <see cref="RgbImage"/>: EXIF orientation applied, gray and CMYK
/// converted to RGB, alpha composited on white. The header is read first, so oversized images are rejected cheaply.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Reads only the header of <paramref name="encoded"/>: format, stored size and EXIF orientation.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a supported image, or end inside the header.</exception>
    public static ImageHeader ReadHeader(ReadOnlySpan<byte> encoded)
    {
        using var codec = OpenCodec(encoded);
        return HeaderOf(codec);
    }

    /// <summary>Decodes <paramref name="encoded"/> to RGB.</summary>
    /// <exception cref="ImageDecodeException">Not an image, truncated, corrupt, or more pixels than allowed.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, ImageDecodeOptions? options = null) =>
        Decode(encoded, out _, options);

    /// <summary>Decodes <paramref name="encoded"/> to RGB and returns its header (original size) too.</summary>
    /// <exception cref="ImageDecodeException">Not an image, truncated, corrupt, or more pixels than allowed.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, out ImageHeader header, ImageDecodeOptions? options = null)
    {
        options ??= ImageDecodeOptions.Default;
        using var codec = OpenCodec(encoded);
        header = HeaderOf(codec);
        if (header.PixelCount > options.MaxPixels)
            throw new ImageDecodeException(ImageDecodeError.TooManyPixels,
                $"{header.Format} header claims {header.StoredWidth}×{header.StoredHeight} = {header.PixelCount:N0} pixels, " +
                $"more than the limit {options.MaxPixels:N0}");

        var size = DecodeSize(codec, header, options.MinShortSide);
        var alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, alpha);
        // A pooled scratch buffer: per-image RGBA arrays would land on the large-object heap and force gen-2 GCs.
        var rgba = ArrayPool<byte>.Shared.Rent(checked((int)info.BytesSize64));
        try
        {
            var result = codec.GetPixels(info, rgba);
            if (result != SKCodecResult.Success)
                throw result switch
                {
                    SKCodecResult.IncompleteInput => new ImageDecodeException(ImageDecodeError.Truncated,
                        $"{header.Format} data ends early ({encoded.Length:N0} bytes for {header.StoredWidth}×{header.StoredHeight})"),
                    _ => new ImageDecodeException(ImageDecodeError.Corrupt, $"{header.Format} pixel data could not be decoded: {result}"),
                };
            return ToRgb(rgba, size.Width, size.Height, header.Orientation);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static SKCodec OpenCodec(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
            throw new ImageDecodeException(ImageDecodeError.NotAnImage, "zero bytes");
        // The codec owns the stream and the stream owns a copy of the bytes, so nothing needs pinning.
        var stream = new SKMemoryStream(SKData.CreateCopy(encoded));
        var codec = SKCodec.Create(stream, out var result);
        if (codec is not null) return codec;
        stream.Dispose();
        throw result == SKCodecResult.IncompleteInput && LooksLikeImage(encoded)
            ? new ImageDecodeException(ImageDecodeError.Truncated, $"image header is cut short ({encoded.Length} bytes)")
            : new ImageDecodeException(ImageDecodeError.NotAnImage,
                $"not a supported image (first bytes {Convert.ToHexString(encoded[..Math.Min(8, encoded.Length)])})");
    }

    // Signatures of the formats we decode, to tell a short real image from random bytes.
    private static bool LooksLikeImage(ReadOnlySpan<byte> b) =>
        b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) || b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])
        || b.StartsWith("RIFF"u8) || b.StartsWith("GIF8"u8) || b.StartsWith("BM"u8);

    private static ImageHeader HeaderOf(SKCodec codec)
    {
        var format = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => ImageFileFormat.Jpeg,
            SKEncodedImageFormat.Png => ImageFileFormat.Png,
            SKEncodedImageFormat.Webp => ImageFileFormat.Webp,
            SKEncodedImageFormat.Gif => ImageFileFormat.Gif,
            SKEncodedImageFormat.Bmp => ImageFileFormat.Bmp,
            _ => ImageFileFormat.Unknown,
        };
        var origin = (int)codec.EncodedOrigin;
        return new ImageHeader(format, codec.Info.Width, codec.Info.Height, origin is >= 1 and <= 8 ? origin : 1);
    }

    // The smallest size the codec can decode to cheaply whose short side still reaches minShortSide.
    private static SKSizeI DecodeSize(SKCodec codec, ImageHeader header, int minShortSide)
    {
        var full = new SKSizeI(header.StoredWidth, header.StoredHeight);
        var shortSide = Math.Min(full.Width, full.Height);
        if (minShortSide <= 0 || minShortSide >= shortSide) return full;
        // JPEG decodes at n/8 scales and the codec rounds to the nearest one, so walk up from 1/8.
        for (var eighths = 1; eighths < 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (Math.Min(scaled.Width, scaled.Height) >= minShortSide && scaled.Width < full.Width) return scaled;
        }
        return full;
    }

    // Premultiplied RGBA → RGB on white (c' + 255 − a is exact for premultiplied values), with the EXIF orientation
    // applied by writing each stored pixel to its displayed position.
    private static RgbImage ToRgb(byte[] rgba, int width, int height, int orientation)
    {
        var (outW, outH) = orientation >= 5 ? (height, width) : (width, height);
        var rgb = new byte[outW * outH * 3];
        if (orientation == 1)
        {
            for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3)
            {
                var white = 255 - rgba[i + 3];
                rgb[o] = (byte)(rgba[i] + white);
                rgb[o + 1] = (byte)(rgba[i + 1] + white);
                rgb[o + 2] = (byte)(rgba[i + 2] + white);
            }
            return new RgbImage(outW, outH, rgb);
        }
        for (var sy = 0; sy < height; sy++)
        {
            for (var sx = 0; sx < width; sx++)
            {
                var (dx, dy) = orientation switch
                {
                    2 => (width - 1 - sx, sy),
                    3 => (width - 1 - sx, height - 1 - sy),
                    4 => (sx, height - 1 - sy),
                    5 => (sy, sx),
                    6 => (height - 1 - sy, sx),
                    7 => (height - 1 - sy, width - 1 - sx),
                    8 => (sy, width - 1 - sx),
                    _ => (sx, sy),
                };
                var i = (sy * width + sx) * 4;
                var o = (dy * outW + dx) * 3;
                var white = 255 - rgba[i + 3];
                rgb[o] = (byte)(rgba[i] + white);
                rgb[o + 1] = (byte)(rgba[i + 1] + white);
                rgb[o + 2] = (byte)(rgba[i + 2] + white);
            }
        }
        return new RgbImage(outW, outH, rgb);
    }
}
