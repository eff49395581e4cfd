using System.Globalization;
using System.Text.RegularExpressions;

namespace Qlip.Ingest.Sharding;

/// <summary>
/// The output shard number of an incoming file, read from its name so every delivery and every re-run agrees:
/// <c>00000042.tar</c> → 42 (img2dataset), <c>sa_000042.tar</c> → 42 (SA-1B), <c>train-00042-of-00100.parquet</c> → 42
/// (Hugging Face), <c>part_42.parquet</c> → 42. Two files that map to the same number are caught by the shard's status
/// row, which records its source file.
/// </summary>
public static partial class ShardNumbering
{
    /// <summary>The shard number, or null when the name carries none.</summary>
    public static int? FromFileName(string fileName)
    {
        var stem = fileName.Split('.', 2)[0];
        var match = OfPattern().Match(stem) is { Success: true } of ? of : TrailingNumber().Match(stem);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_]*-(\d{1,9})-of-\d+$")]
    private static partial Regex OfPattern();

    [GeneratedRegex(@"^(?:[A-Za-z]+[_-]?)?(\d{1,9})$")]
    private static partial Regex TrailingNumber();
}
