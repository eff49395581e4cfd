using ScottPlot;

namespace Qlip.ML.Reporting;

/// <summary>
/// Gives ScottPlot a font from a file. Our SkiaSharp native build (NativeAssets.Linux.NoDependencies) has no fontconfig,
/// so without this every label renders as nothing; DejaVu Sans comes with Debian's fonts-dejavu-core.
/// </summary>
internal static class PlotFonts
{
    private const string Family = "DejaVu Sans";
    private static readonly string[] Folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/local/share/fonts"];
    private static readonly Lazy<bool> Registered = new(Register);

    /// <summary>Sets every text of <paramref name="plot"/> to DejaVu Sans; a missing font is an error naming the package.</summary>
    public static void Apply(Plot plot)
    {
        _ = Registered.Value;
        plot.Font.Set(Family);
    }

    private static bool Register()
    {
        var regular = Find("DejaVuSans.ttf")
            ?? throw new FileNotFoundException($"No DejaVuSans.ttf in {string.Join(", ", Folders)}: install fonts-dejavu-core to render plot text.");
        Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        if (Find("DejaVuSans-Bold.ttf") is { } bold) Fonts.AddFontFile(Family, bold, bold: true, italic: false);
        return true;
    }

    private static string? Find(string file) => Folders.Select(f => Path.Combine(f, file)).FirstOrDefault(File.Exists);
}
