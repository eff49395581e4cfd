using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.Data.WebDataset;

namespace Qlip.Bench.Ingest;

/// <summary>
/// The ingest benchmark's input: distinct 640×480 JPEGs (quality 90) made from the packaged photos and then openclipart
/// drawings, each centre-cropped to 4:3 and resized (drawings mostly up) — the size of a typical img2dataset source
/// image — packed as a webdataset tar in memory with a caption per sample.
/// </summary>
internal static class IngestBenchmarkInput
{
    public const int Width = 640;
    public const int Height = 480;

    public static async Task<byte[]> MakeTarAsync(int samples)
    {
        var paths = DataPaths.Resolve();
        var sources = paths.Photos().Concat(OpenClipartDataset.Load(paths, DataSplit.Train).Select(i => i.PngPath));
        // Openclipart repeats some drawings; identical JPEGs would be dropped as duplicates, so keep distinct ones only.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var tar = new MemoryStream();
        await using (var writer = new WebDatasetWriter(tar, leaveOpen: true))
        {
            foreach (var source in sources)
            {
                if (seen.Count == samples) break;
                var jpeg = ImageEncoder.EncodeJpeg(To640x480(ImageDecoder.Decode(File.ReadAllBytes(source))), quality: 90);
                if (!seen.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(jpeg)))) continue;
                var caption = System.Text.Encoding.UTF8.GetBytes(Path.GetFileNameWithoutExtension(source).Replace('_', ' '));
                await writer.WriteAsync($"{seen.Count:D9}", [new("jpg", jpeg), new("txt", caption)]);
            }
        }
        if (seen.Count < samples) throw new ArgumentException($"only {seen.Count} distinct packaged images for --samples {samples}");
        return tar.ToArray();
    }

    // Centre 4:3 crop, then resize: keep_ratio on the cropped image gives exactly 640×480.
    private static RgbImage To640x480(RgbImage image)
    {
        var (w, h) = image.Width * 3 > image.Height * 4 ? (image.Height * 4 / 3, image.Height) : (image.Width, image.Width * 3 / 4);
        var (x0, y0) = ((image.Width - w) / 2, (image.Height - h) / 2);
        var pixels = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            Array.Copy(image.Pixels, ((y0 + y) * image.Width + x0) * 3, pixels, y * w * 3, w * 3);
        var resized = ImageResizer.Resize(new RgbImage(w, h, pixels), Height, ResizeMode.KeepRatio);
        return resized.Width == Width ? resized : Fit(resized);
    }

    // Rounding can leave 639 or 641 columns: pad or trim the last column so every input is exactly 640×480.
    private static RgbImage Fit(RgbImage image)
    {
        var pixels = new byte[Width * Height * 3];
        for (var y = 0; y < Height; y++)
            Array.Copy(image.Pixels, y * image.Width * 3, pixels, y * Width * 3, Math.Min(image.Width, Width) * 3);
        return new RgbImage(Width, Height, pixels);
    }
}
