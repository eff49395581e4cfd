namespace Qlip.Ingest.Reading;

/// <summary>An input file that cannot be read as a whole; the shard fails (and is retried, then poisoned) with this reason.</summary>
public sealed class ShardFormatException(string message, Exception? inner = null) : Exception(message, inner);
