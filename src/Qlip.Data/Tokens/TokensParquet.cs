using Parquet;
using Parquet.Serialization;

namespace Qlip.Data.Tokens;

/// <summary>Reads and writes one tokens Parquet file (<c>tokens/{dataset}/{checkpoint}/{shard}.parquet</c>).</summary>
public static class TokensParquet
{
    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Zstd };

    /// <summary>Validates and writes <paramref name="rows"/> as one row group, in the order given.</summary>
    public static async Task WriteAsync(IReadOnlyCollection<TokenRow> rows, Stream output, CancellationToken ct = default)
    {
        foreach (var row in rows) row.Validate();
        await ParquetSerializer.SerializeAsync(rows, output, Options, cancellationToken: ct);
    }

    /// <summary>Reads every row; each is validated so a corrupt file is named by its key, not a shape error later.</summary>
    public static async Task<IReadOnlyList<TokenRow>> ReadAsync(Stream input, CancellationToken ct = default)
    {
        var rows = (await ParquetSerializer.DeserializeAsync<TokenRow>(input, Options, cancellationToken: ct)).Data;
        foreach (var row in rows) row.Validate();
        return [.. rows];
    }
}
