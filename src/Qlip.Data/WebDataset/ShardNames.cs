namespace Qlip.Data.WebDataset;

/// <summary>img2dataset's zero-padded shard file names: <c>00000042.tar</c>, <c>00000042.parquet</c>, <c>00000042_stats.json</c>.</summary>
public static class ShardNames
{
    /// <summary>The dataset-level shard → sample count file (DataComp/open_clip contract).</summary>
    public const string SizesFile = "sizes.json";

    /// <summary>The 8-digit shard id, e.g. <c>00000042</c>.</summary>
    public static string Id(int shard) => shard.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>NNNNNNNN.tar</c>.</summary>
    public static string Tar(int shard) => Id(shard) + ".tar";

    /// <summary><c>NNNNNNNN.parquet</c>.</summary>
    public static string Parquet(int shard) => Id(shard) + ".parquet";

    /// <summary><c>NNNNNNNN_stats.json</c>, written last: its presence means the shard is done.</summary>
    public static string Stats(int shard) => Id(shard) + "_stats.json";
}
