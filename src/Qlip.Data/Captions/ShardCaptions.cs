using System.Security.Cryptography;
using System.Text;

namespace Qlip.Data.Captions;

/// <summary>
/// The captions a reader of one shard uses: each sample's original caption merged with the shard's captions parquet
/// (what the captioning service wrote) through a <see cref="CaptionResolver"/>. Failed caption rows are ignored, so a
/// sample whose recaptioning failed keeps its original.
/// </summary>
public sealed class ShardCaptions
{
    private readonly Dictionary<string, string> _recaptions;

    /// <summary>Merges <paramref name="rows"/> (successful ones only) under <paramref name="policy"/>.</summary>
    public ShardCaptions(CaptionResolver policy, IEnumerable<CaptionRow> rows)
    {
        Policy = policy;
        _recaptions = Usable(rows);
        Digest = DigestOf(_recaptions);
    }

    /// <summary>Hex SHA-256 of the recaptions a reader can use (see <see cref="DigestOf(IEnumerable{CaptionRow})"/>).</summary>
    public string Digest { get; }

    /// <summary>The policy captions are chosen by.</summary>
    public CaptionResolver Policy { get; }

    /// <summary>How many samples have a recaption.</summary>
    public int Recaptions => _recaptions.Count;

    /// <summary>The caption of <paramref name="key"/> ("" when it has neither an original nor a recaption).</summary>
    public string Resolve(string key, string? original) =>
        Policy.Resolve(key, original, _recaptions.GetValueOrDefault(key)) ?? "";

    /// <summary>
    /// Hex SHA-256 of the successful recaptions in <paramref name="rows"/> as (key, caption) pairs in key order: equal
    /// digests give equal captions under every policy, so a tokens file made with another digest is stale. Failure rows
    /// and row order do not count.
    /// </summary>
    public static string DigestOf(IEnumerable<CaptionRow> rows) => DigestOf(Usable(rows));

    private static Dictionary<string, string> Usable(IEnumerable<CaptionRow> rows)
    {
        var usable = new Dictionary<string, string>(StringComparer.Ordinal);
        // A later row of a key wins, as in the captions parquet's merge.
        foreach (var row in rows.Where(r => r.Status == CaptionRow.Success && !string.IsNullOrWhiteSpace(r.Caption)))
            usable[row.Key] = row.Caption!;
        return usable;
    }

    private static string DigestOf(Dictionary<string, string> recaptions)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, caption) in recaptions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // Length-prefixed, so no key/caption split of the same characters hashes alike.
            hash.AppendData(Encoding.UTF8.GetBytes($"{key.Length}:{key}{caption.Length}:{caption}"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
