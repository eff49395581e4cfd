using System.Text;

namespace Qlip.Ingest.Processing;

/// <summary>
/// Sample keys as they may appear in output tar member names: letters, digits, <c>_</c> and <c>-</c> only, at most
/// <see cref="MaxLength"/> characters. Folder parts (<c>part1/0001</c>) are joined with <c>_</c>; anything that could
/// escape the shard (<c>..</c>, absolute paths, backslashes, control characters) is refused as <c>unsafe_key</c>; a dot
/// is refused as <c>dotted_key</c>, because webdataset cuts keys at the first dot and the sample would split.
/// </summary>
public static class SampleKeys
{
    public const int MaxLength = 128;

    /// <summary>The output key for <paramref name="raw"/>, or the reason code and message it is refused with.</summary>
    public static (string? Key, string? Reason, string? Message) Sanitize(string raw)
    {
        if (raw.Length == 0) return Unsafe("empty key");
        if (raw.StartsWith('/') || raw.Contains('\\')) return Unsafe($"key '{Printable(raw)}' is an absolute path or has a backslash");
        if (raw.Any(char.IsControl)) return Unsafe($"key '{Printable(raw)}' has control characters");
        var segments = raw.Split('/');
        if (segments.Any(s => s is "" or "." or "..")) return Unsafe($"key '{Printable(raw)}' has an empty, '.' or '..' path segment");
        if (raw.Contains('.')) return (null, RejectReasons.DottedKey, $"key '{Printable(raw)}' contains a dot (webdataset splits keys at the first dot)");

        var key = new StringBuilder(raw.Length);
        foreach (var c in string.Join('_', segments))
            key.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        return key.Length <= MaxLength ? (key.ToString(), null, null) : Unsafe($"key has {key.Length} characters, more than {MaxLength}");
    }

    private static (string?, string?, string?) Unsafe(string message) => (null, RejectReasons.UnsafeKey, message);

    // Keys go into messages and logs: show control characters as escapes, never raw.
    private static string Printable(string raw) =>
        string.Concat(raw.Take(MaxLength).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
