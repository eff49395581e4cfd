// HTML character references decoded the way CLIP's text cleaning does: Python's html.unescape (applied twice
// by simple_tokenizer.basic_clean) and ftfy's stricter pass (only references that end in ';').
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Qlip.ML.Text;

/// <summary>
/// Python <c>html.unescape</c> semantics: numeric references with the HTML5 replacement rules (C1 → Windows-1252,
/// invalid code points dropped or U+FFFD) and named references, with or without ';' for the legacy names.
/// Named references come from the HTML 4 table (plus <c>&amp;apos;</c>); HTML5-only names stay as written.
/// </summary>
public static partial class HtmlEntityDecoder
{
    // HTML5 legacy names that decode without a trailing ';' (html.entities.html5 keys without ';').
    private static readonly HashSet<string> s_legacyNames = new(StringComparer.Ordinal)
    {
        "AElig", "AMP", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml", "COPY", "Ccedil", "ETH", "Eacute",
        "Ecirc", "Egrave", "Euml", "GT", "Iacute", "Icirc", "Igrave", "Iuml", "LT", "Ntilde", "Oacute", "Ocirc",
        "Ograve", "Oslash", "Otilde", "Ouml", "QUOT", "REG", "THORN", "Uacute", "Ucirc", "Ugrave", "Uuml", "Yacute",
        "aacute", "acirc", "acute", "aelig", "agrave", "amp", "aring", "atilde", "auml", "brvbar", "ccedil", "cedil",
        "cent", "copy", "curren", "deg", "divide", "eacute", "ecirc", "egrave", "eth", "euml", "frac12", "frac14",
        "frac34", "gt", "iacute", "icirc", "iexcl", "igrave", "iquest", "iuml", "laquo", "lt", "macr", "micro",
        "middot", "nbsp", "not", "ntilde", "oacute", "ocirc", "ograve", "ordf", "ordm", "oslash", "otilde", "ouml",
        "para", "plusmn", "pound", "quot", "raquo", "reg", "sect", "shy", "sup1", "sup2", "sup3", "szlig", "thorn",
        "times", "uacute", "ucirc", "ugrave", "uml", "uuml", "yacute", "yen", "yuml",
    };

    /// <summary>Windows-1252 characters for bytes 0x80..0x9F (undefined bytes map to themselves, as in ftfy's sloppy codec).</summary>
    internal static ReadOnlySpan<char> Windows1252C1 =>
        "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
        "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

    [GeneratedRegex(@"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)", RegexOptions.CultureInvariant)]
    private static partial Regex CharRef();

    [GeneratedRegex(@"&#?[0-9A-Za-z]{1,24};", RegexOptions.CultureInvariant)]
    private static partial Regex StrictCharRef();

    /// <summary>Python's <c>html.unescape</c>.</summary>
    public static string Unescape(string text) =>
        text.Contains('&') ? CharRef().Replace(text, m => ReplaceReference(m.Groups[1].Value)) : text;

    /// <summary>ftfy's <c>unescape_html</c>: only references ending in ';' are decoded.</summary>
    public static string UnescapeStrict(string text) =>
        text.Contains('&') ? StrictCharRef().Replace(text, m => ReplaceStrict(m.Value)) : text;

    private static string ReplaceStrict(string reference)
    {
        if (reference[1] != '#') return LookupName(reference[1..^1]) ?? reference;
        var decoded = ReplaceReference(reference[1..]);
        return decoded.Contains(';') ? reference : decoded;
    }

    private static string ReplaceReference(string s)
    {
        if (s[0] == '#') return DecodeNumber(s);
        var withSemicolon = s.EndsWith(';');
        if (withSemicolon && LookupName(s[..^1]) is { } named) return named;
        if (!withSemicolon && s_legacyNames.Contains(s)) return LookupName(s)!;
        // the longest legacy name that prefixes the reference wins, the rest stays text (html.unescape)
        for (var x = s.Length - 1; x > 1; x--)
            if (s_legacyNames.Contains(s[..x])) return LookupName(s[..x]) + s[x..];
        return "&" + s;
    }

    // The HTML5 table also has these all-caps spellings (with and without ';'); the HTML 4 table behind LookupName does not.
    private static readonly Dictionary<string, string> s_capitalLegacy = new(StringComparer.Ordinal)
    {
        ["AMP"] = "&", ["COPY"] = "\u00A9", ["GT"] = ">", ["LT"] = "<", ["QUOT"] = "\"", ["REG"] = "\u00AE",
    };

    private static string? LookupName(string name)
    {
        if (s_capitalLegacy.TryGetValue(name, out var capital)) return capital;
        var entity = "&" + name + ";";
        var decoded = WebUtility.HtmlDecode(entity);
        return decoded == entity ? null : decoded;
    }

    private static string DecodeNumber(string s)
    {
        var hex = s.Length > 1 && (s[1] == 'x' || s[1] == 'X');
        var digits = s.AsSpan(hex ? 2 : 1).TrimEnd(';');
        // more than 7 hex / 8 decimal digits (after leading zeros) is beyond U+10FFFF
        var significant = digits.TrimStart('0');
        long value = significant.Length > (hex ? 7 : 8) ? long.MaxValue
            : significant.Length == 0 ? 0
            : long.Parse(significant, hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture);
        switch (value)
        {
            case 0: return "\uFFFD";
            case 0x0D: return "\r";
            case >= 0x80 and <= 0x9F: return Windows1252C1[(int)value - 0x80].ToString();
            case >= 0xD800 and <= 0xDFFF or > 0x10FFFF: return "\uFFFD";
        }
        if (IsInvalidCodePoint(value)) return "";
        return new Rune((int)value).ToString();
    }

    // html._invalid_codepoints: C0/C1 controls except whitespace, noncharacters.
    private static bool IsInvalidCodePoint(long v) =>
        v is >= 0x1 and <= 0x8 or 0xB or >= 0xE and <= 0x1F or >= 0x7F and <= 0x9F or >= 0xFDD0 and <= 0xFDEF
        || (v & 0xFFFE) == 0xFFFE;
}
