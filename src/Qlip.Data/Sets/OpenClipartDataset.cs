namespace Qlip.Data.Sets;

/// <summary>
/// Openclipart 0.18 from Debian <c>openclipart-png</c> / <c>openclipart-svg</c>: 8,121 clip-art PNGs of very varied
/// sizes (a few are huge), sorted by path. No official split: every 10th item is test.
/// </summary>
public static class OpenClipartDataset
{
    /// <summary>The items of <paramref name="split"/> that have both a PNG and its SVG.</summary>
    /// <exception cref="DataNotFoundException">A package is not installed.</exception>
    public static IReadOnlyList<OpenClipartItem> Load(DataPaths paths, DataSplit split)
    {
        var png = DataPaths.Require(paths.OpenClipartPng, "openclipart PNGs (Debian openclipart-png)");
        var svg = DataPaths.Require(paths.OpenClipartSvg, "openclipart SVGs (Debian openclipart-svg)");
        return
        [
            .. Directory.EnumerateFiles(png, "*.png", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(png, p)[..^4].Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .Where((_, i) => (i % 10 == 9) == (split == DataSplit.Test))
                .Select(r => new OpenClipartItem(r, Path.Combine(png, r + ".png"), Path.Combine(svg, r + ".svg")))
                .Where(item => File.Exists(item.SvgPath)),
        ];
    }
}
