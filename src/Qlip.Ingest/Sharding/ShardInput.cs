namespace Qlip.Ingest.Sharding;

/// <summary>An opened input file and how to get its sha256 and length once the reader is done with it.</summary>
internal sealed record ShardInput(Stream Stream, Func<CancellationToken, Task<(string Sha256, long Bytes)>> FinishAsync);
