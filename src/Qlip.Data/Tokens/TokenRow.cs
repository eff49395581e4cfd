using Parquet.Serialization.Attributes;

namespace Qlip.Data.Tokens;

/// <summary>
/// One image of a tokens dataset (architecture.md "Tokens dataset"): its BSQ ids in row-major grid order.
/// Standard Parquet types only (string, int32, list&lt;int32&gt;) so pyarrow, pandas and DuckDB read it without Qlip.
/// </summary>
public sealed class TokenRow
{
    /// <summary>Sample key, unique in the dataset.</summary>
    [ParquetRequired] public string Key { get; set; } = "";

    /// <summary>The caption the trainer should use (may be empty when the sample has none yet).</summary>
    [ParquetRequired] public string Caption { get; set; } = "";

    /// <summary>Token grid height (rows).</summary>
    public int GridH { get; set; }

    /// <summary>Token grid width (columns).</summary>
    public int GridW { get; set; }

    /// <summary>Bits per token (L); ids are in [0, 2^L).</summary>
    public int Bits { get; set; }

    /// <summary>GridH·GridW token ids, row-major. int32 holds every id because <see cref="Bits"/> ≤ 31.</summary>
    public int[] Ids { get; set; } = [];

    /// <summary>Lower-case hex sha256 of the source image bytes.</summary>
    [ParquetRequired] public string SourceSha256 { get; set; } = "";

    /// <summary>Id of the tokenizer checkpoint that produced the ids.</summary>
    [ParquetRequired] public string Checkpoint { get; set; } = "";

    /// <summary>Throws when the row is not self-consistent (grid size, id range); names the key and field.</summary>
    public void Validate()
    {
        if (Bits is < 1 or > 31)
            throw new InvalidDataException($"token row '{Key}': bits {Bits} outside 1..31 (ids are stored as int32)");
        if (GridH < 1 || GridW < 1 || Ids.Length != GridH * GridW)
            throw new InvalidDataException($"token row '{Key}': {Ids.Length} ids for a {GridH}×{GridW} grid");
        long limit = 1L << Bits;
        foreach (var id in Ids)
            if (id < 0 || id >= limit)
                throw new InvalidDataException($"token row '{Key}': id {id} outside [0, 2^{Bits})");
    }
}
