namespace Qlip.Shared.Queues;

/// <summary>
/// One queue's work: reads its inputs, does the work, writes outputs under deterministic names (conditional create,
/// stats last). It never touches pop receipts, visibility, retries or poison queues: the worker host does.
/// Throw only when the message as a whole cannot finish; the host retries it and poisons it after MaxDequeueCount.
/// </summary>
public interface IQueueHandler<in TMessage>
{
    /// <summary>Does the work of one message; cancelled only when the host shuts down past its grace period.</summary>
    Task HandleAsync(TMessage message, QueueMessageContext context, CancellationToken ct);
}
