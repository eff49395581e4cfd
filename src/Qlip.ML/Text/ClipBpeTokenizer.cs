// CLIP's byte-level BPE tokenizer (openai/CLIP clip/simple_tokenizer.py, open_clip tokenizer.py): clean →
// pre-tokenize → UTF-8 bytes as byte characters, "</w>" on the last → merge the lowest-ranked adjacent pair until
// none applies. Rows for the text tower are BOS + ids + EOS, truncated keeping EOS last, padded with 0.
using System.Collections.Concurrent;
using System.Text;
using Qlip.Data.Sets;
using static TorchSharp.torch;

namespace Qlip.ML.Text;

/// <summary>The OpenAI CLIP tokenizer: exact CLIP ids from the packaged vocabulary, and a space-restoring decoder.</summary>
public sealed class ClipBpeTokenizer
{
    /// <summary>CLIP's text context length.</summary>
    public const int DefaultContextLength = 77;

    /// <summary>Id written after EOS to fill a row.</summary>
    public const int PadId = 0;

    private const int CacheLimit = 200_000;

    private readonly int[] _byteIds = new int[256];
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private int _cacheCount;

    /// <summary>Creates a tokenizer over a loaded vocabulary.</summary>
    public ClipBpeTokenizer(ClipBpeVocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        for (var b = 0; b < 256; b++)
            _byteIds[b] = vocabulary.IdOf(ClipBpeVocabulary.ByteToChar[b].ToString())
                ?? throw new InvalidDataException($"the vocabulary lacks the byte character for 0x{b:X2}");
    }

    /// <summary>The vocabulary (ids ↔ token strings).</summary>
    public ClipBpeVocabulary Vocabulary { get; }

    /// <summary>The system ICU used for NFC and full lower-casing, or null when .NET's invariant fallbacks are in use.</summary>
    public static string? UnicodeLibrary => IcuUnicode.Library;

    /// <summary>Loads the vocabulary file (see <see cref="ClipBpeVocabulary.Load"/>) and builds a tokenizer.</summary>
    public static ClipBpeTokenizer Load(string vocabularyPath) => new(ClipBpeVocabulary.Load(vocabularyPath));

    /// <summary>Loads the vocabulary from the data cache (<c>$QLIP_DATA</c> or the repo's <c>.cache/data</c>, filled by scripts/setup.sh).</summary>
    /// <exception cref="FileNotFoundException">The vocabulary is not in the cache.</exception>
    /// <exception cref="DataNotFoundException">No data cache: <c>$QLIP_DATA</c> unset and not inside a Qlip checkout.</exception>
    public static ClipBpeTokenizer LoadDefault() => Load(DataPaths.Resolve().ClipBpeVocab);

    /// <summary>BPE ids of the cleaned text, without BOS/EOS (CLIP's <c>SimpleTokenizer.encode</c>).</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (var piece in ClipPreTokenizer.Split(ClipTextCleaner.Clean(text)))
            ids.AddRange(EncodePiece(piece));
        return [.. ids];
    }

    /// <summary>One text-tower row: BOS, ids, EOS; truncated to <paramref name="contextLength"/> with EOS kept last; padded with 0.</summary>
    public int[] Tokenize(string text, int contextLength = DefaultContextLength)
    {
        if (contextLength < 2) throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "a row needs room for BOS and EOS");
        var ids = Encode(text);
        var row = new int[contextLength]; // zero = padding
        var kept = Math.Min(ids.Length, contextLength - 2);
        row[0] = ClipBpeVocabulary.StartOfText;
        ids.AsSpan(0, kept).CopyTo(row.AsSpan(1));
        row[kept + 1] = ClipBpeVocabulary.EndOfText;
        return row;
    }

    /// <summary>A (B, <paramref name="contextLength"/>) int64 tensor of <see cref="Tokenize"/> rows.</summary>
    public Tensor TokenizeBatch(IReadOnlyList<string> texts, int contextLength = DefaultContextLength)
    {
        var data = new long[texts.Count * contextLength];
        Parallel.For(0, texts.Count, b =>
        {
            var row = Tokenize(texts[b], contextLength);
            for (var t = 0; t < contextLength; t++) data[b * contextLength + t] = row[t];
        });
        return tensor(data, [texts.Count, contextLength], ScalarType.Int64);
    }

    /// <summary>
    /// Text from ids: BOS is skipped and decoding stops at the first EOS (so padded rows decode), "&lt;/w&gt;" ends a
    /// word, bytes become UTF-8 (invalid sequences → U+FFFD). Words are joined by spaces except where the cleaned text
    /// could not have had one: before closing punctuation and contractions, between digits, around '-' and '/'.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var words = new List<string>();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id == ClipBpeVocabulary.StartOfText) continue;
            if (id == ClipBpeVocabulary.EndOfText) break;
            var token = Vocabulary.TokenOf(id);
            var endOfWord = token.EndsWith(ClipBpeVocabulary.EndOfWord, StringComparison.Ordinal);
            foreach (var c in endOfWord ? token[..^ClipBpeVocabulary.EndOfWord.Length] : token)
                bytes.Add(ByteOf(c));
            if (endOfWord) FlushWord(words, bytes);
        }
        FlushWord(words, bytes);
        return CaptionSpacing.Join(words);
    }

    private static void FlushWord(List<string> words, List<byte> bytes)
    {
        if (bytes.Count == 0) return;
        words.Add(Encoding.UTF8.GetString([.. bytes]));
        bytes.Clear();
    }

    private static readonly Dictionary<char, byte> s_charToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ClipBpeVocabulary.ByteToChar[b], b => (byte)b);

    private static byte ByteOf(char c) => s_charToByte[c];

    private int[] EncodePiece(string piece)
    {
        if (_cache.TryGetValue(piece, out var cached)) return cached;
        var ids = piece switch
        {
            "<|startoftext|>" => [ClipBpeVocabulary.StartOfText],
            "<|endoftext|>" => [ClipBpeVocabulary.EndOfText],
            _ => Bpe(Encoding.UTF8.GetBytes(piece)),
        };
        // bounded: long training runs meet ever new words (ConcurrentDictionary.Count would take every lock)
        if (Interlocked.Increment(ref _cacheCount) > CacheLimit)
        {
            _cache.Clear();
            Interlocked.Exchange(ref _cacheCount, 0);
        }
        _cache[piece] = ids;
        return ids;
    }

    // Symbols are vocabulary ids; the last byte carries "</w>" (its id is 256 above the bare byte's).
    private int[] Bpe(byte[] utf8)
    {
        var word = new List<int>(utf8.Length);
        foreach (var b in utf8) word.Add(_byteIds[b]);
        word[^1] += 256;
        while (word.Count > 1)
        {
            var bestRank = int.MaxValue;
            int bestLeft = -1, bestRight = -1, bestMerged = -1;
            for (var i = 0; i + 1 < word.Count; i++)
                if (Vocabulary.TryGetMerge(word[i], word[i + 1], out var rank, out var merged) && rank < bestRank)
                    (bestRank, bestLeft, bestRight, bestMerged) = (rank, word[i], word[i + 1], merged);
            if (bestMerged < 0) break;
            // merge every non-overlapping occurrence, left to right
            var next = new List<int>(word.Count);
            for (var i = 0; i < word.Count; i++)
            {
                if (i + 1 < word.Count && word[i] == bestLeft && word[i + 1] == bestRight) { next.Add(bestMerged); i++; }
                else next.Add(word[i]);
            }
            word = next;
        }
        return [.. word];
    }
}
