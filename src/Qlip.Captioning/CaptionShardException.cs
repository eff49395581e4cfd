namespace Qlip.Captioning;

/// <summary>A caption request that cannot finish as a whole (missing shard, unknown backend, every sample failed): the host retries it.</summary>
public sealed class CaptionShardException(string message, Exception? inner = null) : Exception(message, inner);
