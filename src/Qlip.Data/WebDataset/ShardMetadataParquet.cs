using Parquet;
using Parquet.Serialization;

namespace Qlip.Data.WebDataset;

/// <summary>The per-shard metadata parquet (<c>NNNNNNNN.parquet</c>): one <see cref="SampleMetadata"/> row per sample.</summary>
public static class ShardMetadataParquet
{
    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Zstd };

    /// <summary>Writes <paramref name="rows"/> as one row group.</summary>
    public static Task WriteAsync(IReadOnlyCollection<SampleMetadata> rows, Stream output, CancellationToken ct = default) =>
        ParquetSerializer.SerializeAsync(rows, output, Options, cancellationToken: ct);

    /// <summary>Reads every row.</summary>
    public static async Task<IReadOnlyList<SampleMetadata>> ReadAsync(Stream input, CancellationToken ct = default) =>
        [.. (await ParquetSerializer.DeserializeAsync<SampleMetadata>(input, Options, cancellationToken: ct)).Data];
}
