namespace Qlip.Ingest.Reading;

/// <summary>Reads the samples of one input file format, streaming, in file order.</summary>
public interface IShardReader
{
    /// <summary>The format's name for logs and stats (<c>webdataset</c>, <c>sa1b</c>, <c>parquet</c>).</summary>
    string Format { get; }

    /// <summary>Yields every sample of <paramref name="input"/>.</summary>
    /// <exception cref="ShardFormatException">The file as a whole cannot be read (truncated tar, not a parquet file…).</exception>
    IAsyncEnumerable<RawSample> ReadAsync(Stream input, CancellationToken ct);
}
