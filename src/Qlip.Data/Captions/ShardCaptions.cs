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
        _recaptions = rows.Where(r => r.Status == CaptionRow.Success && !string.IsNullOrWhiteSpace(r.Caption))
            .ToDictionary(r => r.Key, r => r.Caption!, StringComparer.Ordinal);
    }

    /// <summary>The policy captions are chosen by.</summary>
    public CaptionResolver Policy { get; }

    /// <summary>How many samples have a recaption.</summary>
    public int Recaptions => _recaptions.Count;

    /// <summary>The caption of <paramref name="key"/> ("" when it has neither an original nor a recaption).</summary>
    public string Resolve(string key, string? original) =>
        Policy.Resolve(key, original, _recaptions.GetValueOrDefault(key)) ?? "";
}
