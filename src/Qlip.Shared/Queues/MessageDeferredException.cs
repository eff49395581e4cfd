namespace Qlip.Shared.Queues;

/// <summary>
/// Thrown by a handler whose message cannot run yet because one of its inputs is still being made elsewhere (a shard's
/// captions): the worker host sends <see cref="Next"/> back to the queue, invisible for <see cref="Delay"/>, and
/// deletes this delivery. A deferral is not a failure: it is logged as such, not retried, and never uses up
/// MaxDequeueCount (the copy starts at dequeue 0). The handler bounds the wait itself, e.g. through a field of
/// <see cref="Next"/> recording when waiting began, and throws <see cref="PermanentMessageException"/> when it gives up.
/// </summary>
/// <typeparam name="TMessage">The queue's message type.</typeparam>
public sealed class MessageDeferredException<TMessage> : Exception where TMessage : class
{
    /// <summary>Azure Storage's longest visibility timeout.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <param name="next">The message to run later (the same request, or the same with what the handler needs to remember).</param>
    /// <param name="delay">How long it stays invisible, 0 to 7 days; the queue service counts whole seconds (less is 0).</param>
    /// <param name="reason">Why it waits; logged by the host.</param>
    public MessageDeferredException(TMessage next, TimeSpan delay, string reason) : base(reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, MaxDelay);
        (Next, Delay) = (next, delay);
    }

    /// <summary>The message the host queues in place of this delivery.</summary>
    public TMessage Next { get; }

    /// <summary>How long <see cref="Next"/> stays invisible.</summary>
    public TimeSpan Delay { get; }
}
