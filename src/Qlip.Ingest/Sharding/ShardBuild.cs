using Qlip.Data.WebDataset;

namespace Qlip.Ingest.Sharding;

/// <summary>What <see cref="ShardBuilder"/> made of one input: every input sample's row in input order (written or not).</summary>
public sealed record ShardBuild(IReadOnlyList<SampleMetadata> Rows)
{
    /// <summary>Rows of the samples written to the staging tar.</summary>
    public IEnumerable<SampleMetadata> Written => Rows.Where(r => r.Status == Processing.RejectReasons.Success);
}
