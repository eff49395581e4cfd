using Qlip.Data.Sets;

namespace Qlip.Data.Making;

/// <summary>What <see cref="DataMaker"/> writes.</summary>
/// <param name="Source">One of <see cref="DataSources.Names"/>.</param>
/// <param name="Split">Train or test.</param>
/// <param name="ShardSize">Input samples per shard (≥ 1).</param>
/// <param name="OutputDirectory">Created if missing; existing shard files of the same names are overwritten.</param>
public sealed record DataMakeOptions(string Source, DataSplit Split, int ShardSize, string OutputDirectory)
{
    /// <summary>Stop after this many input samples (all when null).</summary>
    public int? Limit { get; init; }

    /// <summary>Webdataset (default) or SA-1B.</summary>
    public ShardFormat Format { get; init; } = ShardFormat.WebDataset;

    /// <summary>JPEG quality for SA-1B images, which are always JPEG.</summary>
    public int JpegQuality { get; init; } = 95;
}
