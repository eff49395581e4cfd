namespace Qlip.Data.Making;

/// <summary>Output layout of <see cref="DataMaker"/>.</summary>
public enum ShardFormat
{
    /// <summary>img2dataset webdataset: <c>NNNNNNNN.tar</c> ({key}.png|jpg, .txt, .json) + .parquet + _stats.json, and sizes.json.</summary>
    WebDataset,
    /// <summary>SA-1B style: <c>sa_NNNNNN.tar</c> holding <c>sa_N.jpg</c> + <c>sa_N.json</c> (image info, no caption).</summary>
    Sa1b,
}
