namespace Qlip.Ingest.Sharding;

/// <summary>A shard that cannot be ingested as a whole; the message names the incoming file and the cause.</summary>
public sealed class ShardIngestException(string message, Exception? inner = null) : Exception(message, inner);
