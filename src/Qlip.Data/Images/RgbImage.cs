namespace Qlip.Data.Images;

/// <summary>
/// An 8-bit RGB image in row-major HWC order: <c>Pixels[(y * Width + x) * 3 + c]</c>, c = 0 red, 1 green, 2 blue.
/// This is the one in-memory image type shared by ingest, data making and the ML preprocessing.
/// </summary>
public sealed record RgbImage
{
    /// <summary>Creates an image over <paramref name="pixels"/> (not copied); the length must be width × height × 3.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * 3)
            throw new ArgumentException($"pixels has {pixels.Length} bytes, expected {width}×{height}×3", nameof(pixels));
        (Width, Height, Pixels) = (width, height, pixels);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, HWC.</summary>
    public byte[] Pixels { get; }

    /// <summary>The RGB triple at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * 3;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    /// <summary>An RGB image whose three channels all equal the 8-bit gray <paramref name="gray"/> (length width × height).</summary>
    public static RgbImage FromGray(int width, int height, ReadOnlySpan<byte> gray)
    {
        if (gray.Length != width * height)
            throw new ArgumentException($"gray has {gray.Length} bytes, expected {width}×{height}", nameof(gray));
        var rgb = new byte[gray.Length * 3];
        for (int i = 0, o = 0; i < gray.Length; i++, o += 3)
            rgb[o] = rgb[o + 1] = rgb[o + 2] = gray[i];
        return new RgbImage(width, height, rgb);
    }
}
