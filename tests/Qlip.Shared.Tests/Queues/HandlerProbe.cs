using System.Collections.Concurrent;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;

namespace Qlip.Shared.Tests.Queues;

/// <summary>What the test handlers saw: every call, and how many ran at once.</summary>
public sealed class HandlerProbe
{
    private int _running;
    private int _maxRunning;

    public ConcurrentQueue<(TokenizeRequest Message, QueueMessageContext Context)> Calls { get; } = new();

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public IDisposable Enter(TokenizeRequest message, QueueMessageContext context)
    {
        Calls.Enqueue((message, context));
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }
        Started.TrySetResult();
        return new Exit(this);
    }

    private sealed class Exit(HandlerProbe probe) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref probe._running);
    }
}
