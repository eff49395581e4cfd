using Qlip.Shared.Messages;
using Qlip.Shared.Queues;

namespace Qlip.Shared.Tests.Queues;

/// <summary>Succeeds at once.</summary>
public sealed class RecordingHandler(HandlerProbe probe) : IQueueHandler<TokenizeRequest>
{
    public Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        using var _ = probe.Enter(message, context);
        return Task.CompletedTask;
    }
}

/// <summary>Always fails, as a handler does when a shard cannot be read at all.</summary>
public sealed class FailingHandler(HandlerProbe probe) : IQueueHandler<TokenizeRequest>
{
    public Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        using var _ = probe.Enter(message, context);
        throw new InvalidDataException($"shard {message.ShardId} is truncated");
    }
}

/// <summary>Fails in a way no retry can fix (a malformed spec).</summary>
public sealed class PermanentlyFailingHandler(HandlerProbe probe) : IQueueHandler<TokenizeRequest>
{
    public Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        using var _ = probe.Enter(message, context);
        throw new PermanentMessageException($"shard id {message.ShardId} names no shard format this worker reads");
    }
}

/// <summary>Works for a few seconds: longer than the test's visibility timeout.</summary>
public sealed class SlowHandler(HandlerProbe probe) : IQueueHandler<TokenizeRequest>
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);

    public async Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        using var _ = probe.Enter(message, context);
        await Task.Delay(Duration, ct);
    }
}

/// <summary>Runs until it is cancelled (a long job interrupted by shutdown).</summary>
public sealed class BlockingHandler(HandlerProbe probe) : IQueueHandler<TokenizeRequest>
{
    public async Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        using var _ = probe.Enter(message, context);
        await Task.Delay(Timeout.Infinite, ct);
    }
}

/// <summary>Works briefly, long enough for concurrent calls to overlap.</summary>
public sealed class BriefHandler(HandlerProbe probe) : IQueueHandler<TokenizeRequest>
{
    public async Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        using var _ = probe.Enter(message, context);
        await Task.Delay(300, ct);
    }
}

/// <summary>Waits for an input that is not there yet: defers its first <see cref="Deferrals"/> deliveries, then succeeds.</summary>
public sealed class DeferringHandler(HandlerProbe probe) : IQueueHandler<TokenizeRequest>
{
    public const int Deferrals = 6;

    // The queue service counts visibility in whole seconds.
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static readonly DateTimeOffset FirstLook = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    public Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
    {
        using var _ = probe.Enter(message, context);
        if (probe.Calls.Count > Deferrals) return Task.CompletedTask;
        throw new MessageDeferredException<TokenizeRequest>(message with { WaitingForCaptionsSince = FirstLook }, Delay,
            $"shard {message.ShardId} has no captions yet");
    }
}
