namespace Qlip.Cli.Demo;

/// <summary>One data set tokenized by the demo's checkpoint: rows, code layout, and where its Parquet export was written.</summary>
internal sealed record DatasetTokens(string Dataset, int Shards, int TokenizedShards, long Rows, int Bits, int GridH, int GridW, string? ParquetPath)
{
    /// <summary>Bits a stored image takes: one id of <see cref="Bits"/> bits per grid cell.</summary>
    public long BitsPerImage => (long)Bits * GridH * GridW;
}
