using SkiaSharp;

namespace Qlip.ML.Reporting;

/// <summary>
/// Originals above their reconstructions as one PNG, from raw 8-bit pixels (row-major, channels interleaved, 1 = gray
/// or 3 = RGB), each image scaled up by an integer factor without smoothing so pixels stay visible.
/// </summary>
public static class ImageGrid
{
    /// <summary>
    /// Lays out pairs of rows: <paramref name="columns"/> originals, then their reconstructions below, repeated until
    /// every image is placed. All images share <paramref name="width"/>×<paramref name="height"/>×<paramref name="channels"/>.
    /// </summary>
    public static byte[] RenderComparisonPng(IReadOnlyList<byte[]> originals, IReadOnlyList<byte[]> reconstructions,
        int width, int height, int channels, int columns = 8, int scale = 4, int gap = 2)
    {
        if (originals.Count == 0 || originals.Count != reconstructions.Count)
            throw new ArgumentException($"{originals.Count} originals and {reconstructions.Count} reconstructions: need equal, non-zero counts.");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "must be 1 (gray) or 3 (RGB)");
        var expected = width * height * channels;
        var all = originals.Concat(reconstructions).ToList();
        var bad = all.FindIndex(p => p.Length != expected);
        if (bad >= 0)
            throw new ArgumentException($"{(bad < originals.Count ? "Original" : "Reconstruction")} {bad % originals.Count} has {all[bad].Length} bytes, " +
                                        $"expected {width}×{height}×{channels} = {expected}.");

        columns = Math.Min(columns, originals.Count);
        var chunks = (originals.Count + columns - 1) / columns;
        var (cellW, cellH) = (width * scale + gap, height * scale + gap);
        using var bitmap = new SKBitmap(columns * cellW + gap, 2 * chunks * cellH + gap, SKColorType.Rgba8888, SKAlphaType.Opaque);
        bitmap.Erase(SKColors.White);
        for (var i = 0; i < originals.Count; i++)
        {
            var (chunk, column) = (i / columns, i % columns);
            Draw(bitmap, originals[i], gap + column * cellW, gap + 2 * chunk * cellH, width, height, channels, scale);
            Draw(bitmap, reconstructions[i], gap + column * cellW, gap + (2 * chunk + 1) * cellH, width, height, channels, scale);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static void Draw(SKBitmap bitmap, byte[] pixels, int left, int top, int width, int height, int channels, int scale)
    {
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var o = (y * width + x) * channels;
            var color = channels == 1 ? new SKColor(pixels[o], pixels[o], pixels[o]) : new SKColor(pixels[o], pixels[o + 1], pixels[o + 2]);
            for (var dy = 0; dy < scale; dy++)
            for (var dx = 0; dx < scale; dx++)
                bitmap.SetPixel(left + x * scale + dx, top + y * scale + dy, color);
        }
    }
}
