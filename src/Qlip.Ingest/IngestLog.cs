using Microsoft.Extensions.Logging;

namespace Qlip.Ingest;

/// <summary>Source-generated log messages of ingest.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Ingested {Blob} as shard {ShardId} ({Format}): {Count} samples read, {Successes} written, {Duplicates} owned by other shards")]
    public static partial void Ingested(ILogger logger, string blob, string shardId, string format, int count, int successes, int duplicates);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Shard {ShardId} from {Blob} is already done (stats exist); nothing to do")]
    public static partial void AlreadyDone(ILogger logger, string blob, string shardId);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Skipped incoming/{Dataset}/{FileName}: {Why}")]
    public static partial void Skipped(ILogger logger, string dataset, string fileName, string why);
}
