using Parquet;
using Parquet.Serialization;

namespace Qlip.Data.Captions;

/// <summary>A shard's captions parquet: one <see cref="CaptionRow"/> per sample, ordered by key so equal content gives equal bytes.</summary>
public static class CaptionsParquet
{
    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Zstd };

    /// <summary>Writes <paramref name="rows"/> as one row group, sorted by key.</summary>
    public static async Task<byte[]> ToBytesAsync(IEnumerable<CaptionRow> rows, CancellationToken ct = default)
    {
        using var output = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows.OrderBy(r => r.Key, StringComparer.Ordinal).ToList(), output, Options, cancellationToken: ct);
        return output.ToArray();
    }

    /// <summary>Reads every row.</summary>
    public static async Task<IReadOnlyList<CaptionRow>> ReadAsync(Stream input, CancellationToken ct = default) =>
        [.. (await ParquetSerializer.DeserializeAsync<CaptionRow>(input, Options, cancellationToken: ct)).Data];
}
