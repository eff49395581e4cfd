// CLIP ids do not record spaces: "cat." and "cat ." both tokenize to cat</w> .</w>. Joining decoded words with
// single spaces and then removing the spaces that ordinary captions never have gives back the cleaned caption
// for ordinary punctuation, quotes and CJK text (the decoder's round-trip test pins which cases).
namespace Qlip.ML.Text;

/// <summary>Joins decoded CLIP words into caption text.</summary>
internal static class CaptionSpacing
{
    private static readonly HashSet<string> s_contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    public static string Join(IReadOnlyList<string> words)
    {
        var sb = new System.Text.StringBuilder();
        var insideQuotes = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var closesQuote = word == "\"" && insideQuotes;
            if (i > 0 && !closesQuote && NeedsSpace(words[i - 1], word, previousOpensQuote: words[i - 1] == "\"" && insideQuotes))
                sb.Append(' ');
            if (word == "\"") insideQuotes = !insideQuotes;
            sb.Append(word);
        }
        return sb.ToString();
    }

    private static bool NeedsSpace(string previous, string word, bool previousOpensQuote)
    {
        if (previousOpensQuote || s_contractions.Contains(word)) return false;
        if (IsPunctuation(word) && ".,!?;:%)]}、。，．！？：；」』）".Contains(word[0])) return false;
        if (IsPunctuation(previous) && "([{「『（".Contains(previous[^1])) return false;
        if (word is "-" or "/" || previous is "-" or "/") return false;
        if (IsCjk(previous[^1]) && IsCjk(word[0])) return false; // CJK text is written without spaces
        return !(IsDigit(previous) && IsDigit(word));
    }

    private static bool IsPunctuation(string word) => !word.Any(char.IsLetterOrDigit);

    private static bool IsDigit(string word) => word.Length == 1 && char.IsDigit(word[0]);

    // CJK punctuation, kana, CJK ideographs, Hangul, full-width forms
    private static bool IsCjk(char c) => c is >= '\u3000' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' or >= '\uFF00' and <= '\uFFEF';
}
