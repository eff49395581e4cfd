using Qlip.Data.Sets;

namespace Qlip.Data.Captions;

/// <summary>
/// Captions for the packaged sets, in the spirit of CLIP's prompt templates: the class name (or emoji name, or clip-art
/// title and keywords) through one of several templates. The template is picked by a hash of the sample's index, so
/// captions vary across samples but are the same on every run.
/// </summary>
public static class CaptionTemplates
{
    private static readonly string[] Fashion =
    [
        "a photo of {a} {c}.", "a black and white photo of {a} {c}.", "a low resolution photo of {a} {c}.",
        "a grayscale picture of {a} {c}.", "{a} {c} on a black background.", "a small product photo of {a} {c}.",
        "{c}", "a centered image of {a} {c}.",
    ];

    private static readonly string[] Digits =
    [
        "a handwritten digit {d}.", "the number {w}, handwritten.", "a photo of the digit {w}.", "a scanned handwritten {d}.",
        "{w}", "a white handwritten {d} on a black background.", "the digit {d} written by hand.", "the number {d}.",
    ];

    private static readonly string[] Emoji =
    [
        "{n}", "an emoji of {n}.", "{n} emoji", "a {s} emoji: {n}.", "a cartoon icon of {n}.", "{g} emoji: {n}.",
    ];

    private static readonly string[] ClipArt =
    [
        "{t}", "clip art of {t}.", "{t}, {k}", "a drawing of {t}. tags: {k}", "vector illustration: {t} ({k})",
        "{t} clip art, {k}",
    ];

    /// <summary>A Fashion-MNIST caption for class <paramref name="label"/>, e.g. "a photo of an ankle boot.".</summary>
    public static string FashionMnist(int label, long index)
    {
        var name = MnistDataset.FashionClassNames[label].ToLowerInvariant();
        return Pick(Fashion, index, 1).Replace("{a}", Article(name)).Replace("{c}", name);
    }

    /// <summary>An MNIST caption for digit <paramref name="digit"/>: it names the digit as a numeral or as a word.</summary>
    public static string Mnist(int digit, long index) =>
        Pick(Digits, index, 2).Replace("{d}", digit.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{w}", MnistDataset.DigitClassNames[digit]);

    /// <summary>An emoji caption from its name, subcategory and category.</summary>
    public static string ForEmoji(EmojiItem emoji, long index) =>
        Pick(Emoji, index, 3).Replace("{n}", emoji.Name).Replace("{s}", emoji.Subcategory.Replace('-', ' '))
            .Replace("{g}", emoji.Category.ToLowerInvariant());

    /// <summary>
    /// A clip-art caption from the SVG's title and keywords; the file name stands in for a missing title and the
    /// category for missing keywords.
    /// </summary>
    public static string OpenClipart(string? title, IReadOnlyList<string> keywords, string relativePath, long index)
    {
        var t = title ?? Path.GetFileName(relativePath).Replace('_', ' ');
        var k = keywords.Count > 0
            ? string.Join(", ", keywords.Take(8))
            : (Path.GetDirectoryName(relativePath) ?? "").Replace('/', ' ').Replace('\\', ' ');
        var template = Pick(ClipArt, index, 4);
        if (k.Length == 0) template = "{t}";
        return template.Replace("{t}", t).Replace("{k}", k);
    }

    /// <summary>The indefinite article of a lower-case <paramref name="noun"/>: "an" before a vowel letter, else "a".</summary>
    public static string Article(string noun) => noun.Length > 0 && "aeiou".Contains(noun[0]) ? "an" : "a";

    // SplitMix64 finaliser of (index, salt): consecutive samples of one class get unrelated templates.
    private static string Pick(string[] templates, long index, ulong salt)
    {
        var z = (ulong)index * 0x9E3779B97F4A7C15UL + salt * 0xD1B54A32D192ED03UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return templates[(int)(z % (ulong)templates.Length)];
    }
}
