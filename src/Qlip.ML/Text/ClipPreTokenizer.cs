// CLIP's pre-tokenizer regex, read code point by code point so astral letters and digits classify as the
// Python `regex` module does (.NET Regex classes work on UTF-16 units):
//   <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+   (IGNORECASE)
using System.Globalization;
using System.Text;

namespace Qlip.ML.Text;

/// <summary>Splits cleaned text into CLIP pre-tokens (words, single digits, punctuation runs, contractions).</summary>
public static class ClipPreTokenizer
{
    private static readonly string[] s_specials = ["<|startoftext|>", "<|endoftext|>"];
    private static readonly string[] s_contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    /// <summary>The pre-tokens of <paramref name="text"/>, in order; whitespace separates and is dropped.</summary>
    public static List<string> Split(string text)
    {
        var pieces = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var length = MatchAt(text, i);
            if (length > 0) pieces.Add(text.Substring(i, length));
            i += Math.Max(length, RuneLength(text, i));
        }
        return pieces;
    }

    /// <summary>Length of the regex match starting at <paramref name="i"/>, or 0 on whitespace.</summary>
    private static int MatchAt(string text, int i)
    {
        foreach (var literal in s_specials)
            if (StartsWithIgnoreCase(text, i, literal))
                return literal.Length;
        if (text[i] == '\'')
            foreach (var contraction in s_contractions)
                if (StartsWithIgnoreCase(text, i, contraction))
                    return contraction.Length;

        var kind = Classify(text, i);
        if (kind == Kind.Space) return 0;
        if (kind == Kind.Number) return RuneLength(text, i);
        var end = i;
        while (end < text.Length && Classify(text, end) == kind) end += RuneLength(text, end);
        return end - i;
    }

    private enum Kind { Letter, Number, Space, Other }

    private static Kind Classify(string text, int i)
    {
        Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out _); // a lone surrogate reads as U+FFFD (Other)
        if (Rune.IsWhiteSpace(rune)) return Kind.Space;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Kind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Kind.Number,
            _ => Kind.Other,
        };
    }

    private static int RuneLength(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;

    private static bool StartsWithIgnoreCase(string text, int i, string literal) =>
        i + literal.Length <= text.Length && text.AsSpan(i, literal.Length).Equals(literal, StringComparison.OrdinalIgnoreCase);
}
