using Qlip.ML.Text;

namespace Qlip.ML.Tests.Text;

/// <summary>
/// CLIP's cleaning = ftfy.fix_text, html.unescape twice, whitespace folding, str.lower. Expected strings follow from
/// the documented behaviour of those Python functions (cited per case).
/// </summary>
public sealed class ClipTextCleanerTests
{
    [Theory]
    // html.unescape twice: a doubly escaped quote becomes a quote
    [InlineData("&amp;quot;hi&quot;", "\"hi\"")]
    // html.unescape decodes the legacy names without ';' ("&amp" → "&"), not the others
    [InlineData("fish &amp chips &hellip", "fish & chips &hellip")]
    // html.entities.html5 also spells a few legacy names in capitals: "AMP;", "AMP", "COPY;" ...
    [InlineData("&AMP; &AMP &COPY; &QUOT", "& & \u00a9 \"")]
    // numeric references: decimal, hex, and 0x80-0x9F read as Windows-1252 (&#150; is an en dash)
    [InlineData("it&#39;s &#x1F600; 1&#150;2", "it's 😀 1–2")]
    // ftfy unescapes ';'-terminated entities until nothing changes, on lines without '<' ...
    [InlineData("&amp;amp;amp;amp;", "&")]
    // ... while a '<' switches that off and only the two html.unescape passes remain
    [InlineData("&amp;amp;amp;amp; <b>", "&amp;amp; <b>")]
    // whitespace_clean: runs of any whitespace (tab, newline, no-break space) become one space; ends stripped
    [InlineData("  A \t\n B\u00a0\u00a0C  ", "a b c")]
    // ftfy uncurl_quotes, fix_latin_ligatures, fix_character_width (U+3000 is a space)
    [InlineData("\u201cQuoted\u201d \u2018x\u2019 \ufb01sh \uff28\uff49\u3000\uff01", "\"quoted\" 'x' fish hi !")]
    // ftfy remove_terminal_escapes and remove_control_chars
    [InlineData("\u001b[31mred\u001b[0m a\u0000b\ufeff", "red ab")]
    // ftfy fix_c1_controls: U+0085 read as Windows-1252 0x85, an ellipsis
    [InlineData("wait\u0085", "wait…")]
    public void Clean_matches_CLIPs_reference_cleaning(string raw, string expected) =>
        Assert.Equal(expected, ClipTextCleaner.Clean(raw));

    [Fact]
    public void Unicode_normalization_and_lower_casing_follow_ftfy_and_Python()
    {
        Assert.NotNull(ClipBpeTokenizer.UnicodeLibrary); // the system ICU is bound on this machine (libicu72)
        Assert.Equal("café", ClipTextCleaner.Clean("cafe\u0301")); // ftfy normalizes to NFC
        Assert.Equal("οδος", ClipTextCleaner.Clean("ΟΔΟΣ"));       // Python str.lower: final sigma
        Assert.Equal("i\u0307stanbul", ClipTextCleaner.Clean("İstanbul")); // Python str.lower: İ → i + U+0307
    }

    [Theory]
    [InlineData("a photo of a cat.", new[] { "a", "photo", "of", "a", "cat", "." })]
    [InlineData("don't", new[] { "don", "'t" })]
    [InlineData("'hello", new[] { "'", "hello" })]                       // no contraction: a punctuation run
    [InlineData("x<|endoftext|>", new[] { "x", "<|endoftext|>" })]     // special literal at a match start
    [InlineData("?<|endoftext|>", new[] { "?<|", "endoftext", "|>" })] // swallowed by a punctuation run (openai/CLIP#8)
    [InlineData("b2²", new[] { "b", "2", "²" })]                       // [\p{N}] matches one number character
    [InlineData("𝐀𝐁c 🐶🐱!", new[] { "𝐀𝐁c", "🐶🐱!" })]                 // astral letters are \p{L}; emoji are neither L nor N
    public void Pre_tokenizer_follows_the_CLIP_regex(string text, string[] expected) =>
        Assert.Equal(expected, ClipPreTokenizer.Split(text));
}
