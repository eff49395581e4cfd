namespace Qlip.Data.Sets;

/// <summary>One openclipart PNG and the SVG it was rendered from.</summary>
/// <param name="RelativePath">Path under the png folder without extension, e.g. <c>animals/bugs/mostriciattolo2_architet_01</c>.</param>
/// <param name="PngPath">Absolute PNG path.</param>
/// <param name="SvgPath">Absolute SVG path (title and keywords live in its RDF metadata).</param>
public sealed record OpenClipartItem(string RelativePath, string PngPath, string SvgPath)
{
    /// <summary>The category path, e.g. <c>animals/bugs</c>.</summary>
    public string Category => Path.GetDirectoryName(RelativePath)?.Replace('\\', '/') ?? "";
}
