// CLIP's text cleaning (openai/CLIP simple_tokenizer: whitespace_clean(basic_clean(text)).lower()), where
// basic_clean = ftfy.fix_text, html.unescape twice, strip. ftfy 6 defaults are reproduced except its mojibake
// repair (fix_encoding), which is a heuristic search over legacy codecs; correctly decoded text never needs it.
using System.Text;
using System.Text.RegularExpressions;

namespace Qlip.ML.Text;

/// <summary>The text normalization CLIP applies before pre-tokenization.</summary>
public static partial class ClipTextCleaner
{
    private static readonly Dictionary<char, string> s_ligatures = new()
    {
        ['Ĳ'] = "IJ", ['ĳ'] = "ij", ['ŉ'] = "ʼn", ['Ǳ'] = "DZ", ['ǲ'] = "Dz", ['ǳ'] = "dz", ['Ǆ'] = "DŽ", ['ǅ'] = "Dž",
        ['ǆ'] = "dž", ['Ǉ'] = "LJ", ['ǈ'] = "Lj", ['ǉ'] = "lj", ['Ǌ'] = "NJ", ['ǋ'] = "Nj", ['ǌ'] = "nj",
        ['ﬀ'] = "ff", ['ﬁ'] = "fi", ['ﬂ'] = "fl", ['ﬃ'] = "ffi", ['ﬄ'] = "ffl", ['ﬅ'] = "ſt", ['ﬆ'] = "st",
    };

    // ftfy WIDTH_MAP: U+3000 → space and every U+FF01..U+FFEF whose NFKC form differs
    private static readonly Dictionary<char, string> s_widths = BuildWidthMap();

    [GeneratedRegex(@"\x1b\[(?:\d|;)*[a-zA-Z]", RegexOptions.CultureInvariant)]
    private static partial Regex TerminalEscape();

    /// <summary>Cleans a caption exactly as CLIP does before BPE: ftfy, HTML unescape ×2, whitespace folding, lower-case.</summary>
    public static string Clean(string text)
    {
        text = FixText(text);
        text = HtmlEntityDecoder.Unescape(HtmlEntityDecoder.Unescape(text));
        return IcuUnicode.ToLower(FoldWhitespace(text));
    }

    /// <summary>
    /// ftfy.fix_text with default settings, minus mojibake repair: per line, HTML entities (only while no line so far
    /// contained '&lt;'), C1 controls as Windows-1252, Latin ligatures, full/half width forms, curly quotes, line breaks,
    /// terminal escapes, control characters, NFC — repeated until nothing changes.
    /// </summary>
    public static string FixText(string text)
    {
        if (IsPlainAscii(text)) return text; // no entity, control, C1, ligature, width, quote or composition to fix
        var output = new StringBuilder(text.Length);
        var unescapeHtml = true;
        for (var pos = 0; pos < text.Length;)
        {
            var lineEnd = text.IndexOf('\n', pos);
            var next = lineEnd < 0 ? text.Length : lineEnd + 1;
            var segment = text[pos..next];
            if (segment.Contains('<')) unescapeHtml = false;
            output.Append(FixSegment(segment, unescapeHtml));
            pos = next;
        }
        return output.ToString();
    }

    private static string FixSegment(string text, bool unescapeHtml)
    {
        while (true)
        {
            var original = text;
            if (unescapeHtml) text = HtmlEntityDecoder.UnescapeStrict(text);
            text = MapChars(text); // fix_c1_controls, fix_latin_ligatures, fix_character_width, uncurl_quotes
            text = text.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\u2028', '\n').Replace('\u2029', '\n').Replace('\u0085', '\n');
            text = TerminalEscape().Replace(text, "");
            text = RemoveControlChars(text);
            text = IcuUnicode.NormalizeNfc(text);
            if (text == original) return text;
        }
    }

    // The four character-level fixers in ftfy's order; each maps one char to a string, so one pass per fixer.
    private static string MapChars(string text)
    {
        text = Map(text, c => c is >= '\u0080' and <= '\u009F' ? HtmlEntityDecoder.Windows1252C1[c - 0x80].ToString() : null);
        text = Map(text, c => s_ligatures.GetValueOrDefault(c));
        text = Map(text, c => s_widths.GetValueOrDefault(c));
        return Map(text, c => c is '\u02BC' or >= '\u2018' and <= '\u201B' ? "'" : c is >= '\u201C' and <= '\u201F' ? "\"" : null);
    }

    private static string Map(string text, Func<char, string?> replacement)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var r = replacement(text[i]);
            if (r is null) { sb?.Append(text[i]); continue; }
            sb ??= new StringBuilder(text.Length).Append(text, 0, i);
            sb.Append(r);
        }
        return sb?.ToString() ?? text;
    }

    // ftfy CONTROL_CHARS: U+0000-0008, 000B, 000E-001F, 007F, 206A-206F, FEFF, FFF9-FFFC
    private static string RemoveControlChars(string text) =>
        Map(text, c => c is <= '\u0008' or '\u000B' or >= '\u000E' and <= '\u001F' or '\u007F'
            or >= '\u206A' and <= '\u206F' or '\uFEFF' or >= '\uFFF9' and <= '\uFFFC' ? "" : null);

    /// <summary>whitespace_clean: every whitespace run becomes one space; leading and trailing whitespace is removed.</summary>
    private static string FoldWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = sb.Length > 0; continue; }
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool IsPlainAscii(string text)
    {
        foreach (var c in text)
            if (c is > '~' or '&' or '\r' || (c < ' ' && c is not '\n' and not '\t'))
                return false;
        return true;
    }

    private static Dictionary<char, string> BuildWidthMap()
    {
        var map = new Dictionary<char, string> { ['\u3000'] = " " };
        for (var c = '\uFF01'; c < '\uFFF0'; c++)
        {
            var alternate = IcuUnicode.NormalizeNfkc(c.ToString());
            if (alternate != c.ToString()) map[c] = alternate;
        }
        return map;
    }
}
