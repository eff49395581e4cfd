using Qlip.ML.Models;

namespace Qlip.ML.Configs;

/// <summary>
/// Named architectures, embedded as JSON in the reference layout (open_clip naming, spec §5). <c>tiny</c> is for
/// unit tests, <c>small</c> trains on a 2-core CPU in minutes, the QLIP-* ones are the published sizes
/// (flags inferred from EVA-02-CLIP: SwiGLU, sub-LN, RoPE, no k bias, eps 1e-6; β = 0.25 is a choice, not read).
/// </summary>
public static class QlipPresets
{
    private const string Prefix = "Qlip.ML.Configs.";

    /// <summary>Every preset name.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(QlipPresets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The preset called <paramref name="name"/> (e.g. <c>QLIP-B-16-256</c>, <c>small</c>).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static QlipConfig Load(string name)
    {
        using var stream = typeof(QlipPresets).Assembly.GetManifestResourceStream(Prefix + name + ".json")
            ?? throw new ArgumentException($"unknown preset '{name}'; known: {string.Join(", ", Names)}", nameof(name));
        using var reader = new StreamReader(stream);
        return QlipConfig.FromJson(reader.ReadToEnd(), $"preset {name}");
    }
}
