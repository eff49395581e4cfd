using System.Text;
using Qlip.ML.Text;

namespace Qlip.ML.Tests.Text;

/// <summary>
/// Exact OpenAI CLIP ids. Every expected id list is quoted from a public source named next to it (never produced by
/// this code), or read from the vocabulary file with the reasoning written out.
/// </summary>
public sealed class ClipBpeTokenizerTests(ClipVocabularyFixture fixture) : IClassFixture<ClipVocabularyFixture>
{
    private const int Bos = ClipBpeVocabulary.StartOfText;
    private const int Eos = ClipBpeVocabulary.EndOfText;
    private readonly ClipBpeTokenizer _tokenizer = fixture.Tokenizer;

    public static TheoryData<string, int[]> RowsWithSpecialTokens => new()
    {
        // the canonical example (OpenAI CLIP README / open_clip docs)
        { "a photo of a cat.", [Bos, 320, 1125, 539, 320, 2368, 269, Eos] },
        // elixir-nx/bumblebee test/bumblebee/text/clip_tokenizer_test.exs (checked against openai/clip-vit-base-patch32)
        { "a photo of a dog", [Bos, 320, 1125, 539, 320, 1929, Eos] },
        // huggingface/transformers#12142: output of openai/CLIP clip.tokenize('hello world')
        { "hello world", [Bos, 3306, 1002, Eos] },
        // huggingface/transformers#22166: CLIPTokenizerFast, which applies CLIP's regex ('ve is one pre-token); the slow
        // tokenizer agrees once ftfy is installed (microsoft/onnxruntime-extensions#574)
        { "You should've done this", [Bos, 592, 1535, 1200, 1700, 589, Eos] },
        // huggingface/transformers#19118: CLIPTokenizer with ftfy installed on "résumé" (accents; the printed list ends in EOS)
        { "résumé", [Bos, 29106, 7054, 4166, Eos] },
        // elixir-nx/tokenizers#28: "toy" is 5988 (toy</w>) in a sentence, not 14387 (toy without </w>)
        { "toy", [Bos, 5988, Eos] },
    };

    [Theory]
    [MemberData(nameof(RowsWithSpecialTokens))]
    public void Tokenize_gives_the_published_CLIP_ids(string caption, int[] expected)
    {
        var row = _tokenizer.Tokenize(caption);
        Assert.Equal(ClipBpeTokenizer.DefaultContextLength, row.Length);
        Assert.Equal(expected, row[..expected.Length]);
        Assert.All(row[expected.Length..], id => Assert.Equal(ClipBpeTokenizer.PadId, id));
    }

    public static TheoryData<string, int[]> EncodedWithoutSpecialTokens => new()
    {
        // openai/CLIP#8: SimpleTokenizer.encode of this text; the literal <|endoftext|> right after '?' is not special
        // because the punctuation run "?<|" swallows its '<' — digits are one pre-token each ("1</w>" 272, "9</w>" 280)
        {
            "The key is What will be Covid-19's long-term global economic impact?<|endoftext|>",
            [518, 1458, 533, 768, 751, 655, 622, 9284, 268, 272, 280, 568, 1538, 268, 4780, 2779, 5259, 3844, 30, 27, 347, 40786, 4160, 91, 285]
        },
        // aagdev/mlimgsynth src/test_text_tokenize_clip.c (its number cases merge digit runs, which contradicts
        // openai/CLIP#8 above and CLIP's [\p{N}] pre-token, so they are not used)
        { "   a   dog\t\tjumping\r\n", [320, 1929, 11476] },
        { "an illustration", [550, 6052] },
        { "a sign saying \"Here lies Cesar\"", [320, 2292, 4455, 257, 763, 3205, 28603, 257] },
        { "a sign saying 'Here lies Cesar'", [320, 2292, 4455, 262, 763, 3205, 28603, 262] },
        { "A'veA'llA's", [320, 1200, 320, 1342, 320, 568] },
        { "a dog, a house.", [320, 1929, 267, 320, 1212, 269] },
        { "coraz\u00f3n", [851, 854, 13926] },
        { "cat---dog-\u2014-rabbit", [2368, 11079, 1929, 12, 6718, 268, 10274] },
        {
            "\u307e\u3042\u3001\u304a\u5f85\u3061\u306a\u3055\u3044\u3002",
            [4813, 122, 4813, 480, 45262, 4813, 232, 161, 122, 227, 4813, 94, 29104, 4813, 243, 38850, 38000]
        },
        { "", [] },
        { "  \t  \n", [] },
    };

    [Theory]
    [MemberData(nameof(EncodedWithoutSpecialTokens))]
    public void Encode_gives_the_published_CLIP_ids(string text, int[] expected) =>
        Assert.Equal(expected, _tokenizer.Encode(text));

    [Fact]
    public void Digits_symbols_and_contractions_split_like_the_reference_pre_tokenizer()
    {
        // huggingface/transformers#12648: the slow CLIPTokenizer (a port of OpenAI's) on this text; token strings
        // are compared, and ☆ (U+2606, UTF-8 E2 98 86) appears as its three byte characters
        string[] expected =
        [
            "a</w>", "'ll</w>", "1</w>", "1</w>", "p</w>", "2</w>", "2</w>", "3</w>", "rf</w>", "âĺĨ</w>", "ho</w>",
            "!!</w>", "to</w>", "?</w>", "of</w>", "a</w>", "cat</w>",
        ];
        var ids = _tokenizer.Encode("A\n'll 11p223RF☆ho!!to? of a cat");
        Assert.Equal(expected, ids.Select(_tokenizer.Vocabulary.TokenOf));
    }

    [Fact]
    public void Vocabulary_has_the_CLIP_layout()
    {
        var vocabulary = _tokenizer.Vocabulary;
        Assert.Equal(49_408, vocabulary.Count);
        Assert.Equal("<|startoftext|>", vocabulary.TokenOf(49_406));
        Assert.Equal("<|endoftext|>", vocabulary.TokenOf(49_407));
        Assert.Equal("!", vocabulary.TokenOf(0));          // the first printable byte
        Assert.Equal("!</w>", vocabulary.TokenOf(256));
        Assert.Equal("in", vocabulary.TokenOf(512));       // merge line 1 of the file: "i n"
        Assert.Equal("jekyll</w>", vocabulary.TokenOf(49_405)); // merge line 48,894: "jeky ll</w>"
        Assert.Equal(5988, vocabulary.IdOf("toy</w>"));
        Assert.Equal(14387, vocabulary.IdOf("toy"));         // both from elixir-nx/tokenizers#28
    }

    [Fact]
    public void Whole_word_vocabulary_entries_encode_to_themselves_as_the_reference_census_allows()
    {
        // openai/CLIP#410 encodes every whole-word entry (34,483 end in </w>) without its suffix: 1029 give more than
        // one id. ASCII entries are plain text, so BPE must rebuild each one from its bytes (lower-casing aside);
        // non-ASCII entries are byte characters, not the UTF-8 of any text, so most of them split. ftfy's mojibake
        // repair (not reproduced here) re-decodes some of those, so the reference can only miss fewer than we do.
        var vocabulary = _tokenizer.Vocabulary;
        var wholeWords = Enumerable.Range(0, vocabulary.Count).Where(id => vocabulary.TokenOf(id).EndsWith("</w>", StringComparison.Ordinal)).ToList();
        Assert.Equal(34_483, wholeWords.Count);
        var ascii = wholeWords.Where(id => Ascii.IsValid(vocabulary.TokenOf(id))).ToList();
        foreach (var id in ascii)
        {
            var text = vocabulary.TokenOf(id)[..^4];
            var expected = vocabulary.IdOf(text.ToLowerInvariant() + "</w>");
            Assert.Equal([expected!.Value], _tokenizer.Encode(text));
        }
        var missed = wholeWords.Count(id => _tokenizer.Encode(vocabulary.TokenOf(id)[..^4]).Length != 1);
        Assert.InRange(missed, 1029, wholeWords.Count - ascii.Count);
    }

    [Fact]
    public void An_emoji_is_one_token_when_the_merges_build_it()
    {
        // 😀 is UTF-8 F0 9F 98 80 = byte characters ð Ł ĺ Ģ. The vocabulary file merges "ð Ł" (line 47), "ðŁ ĺ"
        // (line 157) and "ðŁĺ Ģ</w>" (line 6823) and has no merge for "Ł ĺ" or "ĺ Ģ</w>", so BPE ends in the single
        // token ðŁĺĢ</w>, id 512 + 6823 − 1 = 7334.
        Assert.Equal([7334], _tokenizer.Encode("😀"));
        Assert.Equal("ðŁĺĢ</w>", _tokenizer.Vocabulary.TokenOf(7334));
        Assert.Equal("😀", _tokenizer.Decode([7334]));
    }

    [Fact]
    public void Spacing_between_digits_is_not_recorded()
    {
        // openai/CLIP#343: "1233" and "12 33" tokenize identically — every digit is its own pre-token
        Assert.Equal(_tokenizer.Encode("1233"), _tokenizer.Encode("12 33"));
        Assert.Equal(4, _tokenizer.Encode("1233").Length);
    }

    [Fact]
    public void A_long_caption_is_truncated_with_EOS_kept_last()
    {
        var caption = string.Join(' ', Enumerable.Repeat("a photo of a cat", 30)); // 150 ids
        var ids = _tokenizer.Encode(caption);
        Assert.Equal(150, ids.Length);
        var row = _tokenizer.Tokenize(caption);
        Assert.Equal(Bos, row[0]);
        Assert.Equal(ids[..75], row[1..76]);
        Assert.Equal(Eos, row[76]); // open_clip: tokens[:context_length] then tokens[-1] = eot

        var exact = _tokenizer.Tokenize(string.Join(' ', Enumerable.Repeat("cat", 75)));
        Assert.Equal(Enumerable.Repeat(2368, 75), exact[1..76]); // 75 ids fit exactly: nothing is dropped
        Assert.Equal(Eos, exact[76]);

        var short8 = _tokenizer.Tokenize("a photo of a cat.", contextLength: 8);
        Assert.Equal([Bos, 320, 1125, 539, 320, 2368, 269, Eos], short8);
        Assert.Equal([Bos, 320, 1125, 539, 320, Eos], _tokenizer.Tokenize("a photo of a cat.", contextLength: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => _tokenizer.Tokenize("cat", contextLength: 1));
    }

    [Fact]
    public void A_batch_is_an_int64_tensor_of_rows()
    {
        string[] captions = ["a photo of a cat.", "a photo of a dog", ""];
        using var batch = _tokenizer.TokenizeBatch(captions);
        Assert.Equal([3L, 77L], batch.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, batch.dtype);
        var data = batch.data<long>().ToArray();
        for (var b = 0; b < captions.Length; b++)
            Assert.Equal(_tokenizer.Tokenize(captions[b]).Select(i => (long)i), data[(b * 77)..((b + 1) * 77)]);
        Assert.Equal([(long)Bos, Eos, 0], data[154..157]); // the empty caption is BOS, EOS, padding
    }

    public static TheoryData<string> Captions => new()
    {
        "a photo of a cat.",
        "Two dogs, playing in the SNOW!",
        "a t-shirt/top on a hanger",
        "don't stop; it's 2025 and we've 12 cats.",
        "the cat's toy (red) costs 15%.",
        "Café au lait — très bon",
        "a dog 🐶 and a cat 🐱!",
        "&quot;Hello&quot; &amp; goodbye   world",
        "まあ、お待ちなさい。",
    };

    [Theory]
    [MemberData(nameof(Captions))]
    public void Decode_restores_the_cleaned_caption(string caption)
    {
        Assert.Equal(ClipTextCleaner.Clean(caption), _tokenizer.Decode(_tokenizer.Encode(caption)));
        Assert.Equal(ClipTextCleaner.Clean(caption), _tokenizer.Decode(_tokenizer.Tokenize(caption))); // BOS, EOS, padding
    }

    [Fact]
    public void Decode_cannot_recover_spaces_that_ids_do_not_record()
    {
        // "cat ." and "cat." have the same ids; the decoder writes the usual form
        Assert.Equal(_tokenizer.Encode("a cat."), _tokenizer.Encode("a cat ."));
        Assert.Equal("a cat.", _tokenizer.Decode(_tokenizer.Encode("a cat .")));
    }

    [Fact]
    public void A_missing_vocabulary_names_the_file_and_the_setup_script()
    {
        var path = Path.Combine(Path.GetTempPath(), "qlip-no-such-dir", "bpe_simple_vocab_16e6.js");
        var error = Assert.Throws<FileNotFoundException>(() => ClipBpeTokenizer.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("scripts/setup.sh", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_merges_list_is_rejected_with_its_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qlip-bad-vocab-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "#version: 0.2\ni n\nt h\n");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => ClipBpeVocabulary.Load(path));
            Assert.Contains(path, error.Message);
        }
        finally { File.Delete(path); }
    }
}
