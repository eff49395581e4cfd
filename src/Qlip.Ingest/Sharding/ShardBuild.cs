using Qlip.Data.WebDataset;

namespace Qlip.Ingest.Sharding;

/// <summary>
/// What <see cref="ShardBuilder"/> made of one input: every input sample's row in input order (written or not), and
/// how many tar members each written key has.
/// </summary>
public sealed record ShardBuild(IReadOnlyList<SampleMetadata> Rows, IReadOnlyDictionary<string, int> Members)
{
    /// <summary>Rows of the samples written to the staging tar.</summary>
    public IEnumerable<SampleMetadata> Written => Rows.Where(r => r.Status == Processing.RejectReasons.Success);
}
