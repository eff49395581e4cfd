using Microsoft.Extensions.Logging;

namespace Qlip.Shared.Queues;

/// <summary>Every log event of the worker host, defined once with an id and named fields.</summary>
internal static partial class QueueWorkerLog
{
    [LoggerMessage(1, LogLevel.Information,
        "Listening on {QueueName}: batch size {BatchSize}, new batch below {NewBatchThreshold} in flight, poison after {MaxDequeueCount} dequeues")]
    public static partial void Started(ILogger logger, string queueName, int batchSize, int newBatchThreshold, int maxDequeueCount);

    [LoggerMessage(2, LogLevel.Information, "Stopped listening on {QueueName}")]
    public static partial void Stopped(ILogger logger, string queueName);

    [LoggerMessage(3, LogLevel.Information, "Processed {QueueName} message {MessageId} (dequeue {DequeueCount}) in {ElapsedMs} ms")]
    public static partial void Processed(ILogger logger, string queueName, string messageId, long dequeueCount, long elapsedMs);

    [LoggerMessage(4, LogLevel.Warning,
        "{QueueName} message {MessageId} failed on dequeue {DequeueCount} of {MaxDequeueCount}; it will be retried")]
    public static partial void Failed(ILogger logger, Exception exception, string queueName, string messageId, long dequeueCount, int maxDequeueCount);

    [LoggerMessage(5, LogLevel.Error, "Moved {QueueName} message {MessageId} to {PoisonQueue} after {DequeueCount} dequeues: {Reason}")]
    public static partial void Poisoned(ILogger logger, string queueName, string messageId, string poisonQueue, long dequeueCount, string reason);

    [LoggerMessage(6, LogLevel.Information, "Released {QueueName} message {MessageId} unfinished at shutdown; it is visible again")]
    public static partial void Released(ILogger logger, string queueName, string messageId);

    [LoggerMessage(7, LogLevel.Warning,
        "Could not renew the lease of {QueueName} message {MessageId} (status {Status}, {ErrorCode}); another worker may process it again")]
    public static partial void RenewalFailed(ILogger logger, string queueName, string messageId, int status, string? errorCode);

    [LoggerMessage(8, LogLevel.Warning,
        "Could not complete {QueueName} message {MessageId} (status {Status}, {ErrorCode}): its lease was lost; it may be processed again")]
    public static partial void CompletionFailed(ILogger logger, string queueName, string messageId, int status, string? errorCode);

    [LoggerMessage(11, LogLevel.Error, "Could not complete {QueueName} message {MessageId}; it becomes visible again when its lease ends")]
    public static partial void CompletionError(ILogger logger, Exception exception, string queueName, string messageId);

    [LoggerMessage(12, LogLevel.Information,
        "Deferred {QueueName} message {MessageId} (dequeue {DequeueCount}) for {Delay}: {Reason}")]
    public static partial void Deferred(ILogger logger, string queueName, string messageId, long dequeueCount, TimeSpan delay, string reason);

    // The message only: an unreachable storage would otherwise print a stack trace every poll.
    [LoggerMessage(9, LogLevel.Warning, "Receiving from {QueueName} failed ({Error}); backing off")]
    public static partial void ReceiveFailed(ILogger logger, string queueName, string error);

    [LoggerMessage(10, LogLevel.Error, "Queue {QueueName} does not exist: provision the storage (locally: qlip dev up)")]
    public static partial void QueueMissing(ILogger logger, string queueName);
}
