using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Qlip.ML.Training.Data;

/// <summary>
/// Reads batches from another source on a background thread, up to <c>capacity</c> ahead, so the model does not wait
/// for decoding. Each queued batch carries the inner cursor after it, so <see cref="Cursor"/> is the position of what
/// the trainer consumed, not of what was prefetched, and resume stays exact.
/// </summary>
public sealed class PrefetchingBatchSource<TBatch> : IBatchSource<TBatch>
    where TBatch : IBatch
{
    private readonly IBatchSource<TBatch> inner;
    private readonly int capacity;
    private BlockingCollection<(TBatch Batch, string Cursor)>? queue;
    private CancellationTokenSource? stop;
    private Thread? producer;
    private ExceptionDispatchInfo? failure;

    /// <summary>Wraps <paramref name="inner"/>, which this object then owns and disposes.</summary>
    public PrefetchingBatchSource(IBatchSource<TBatch> inner, int capacity = 2)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        this.inner = inner;
        this.capacity = capacity;
        Cursor = inner.Cursor;
    }

    /// <inheritdoc />
    public string Cursor { get; private set; }

    /// <inheritdoc />
    public TBatch Next(CancellationToken cancellationToken)
    {
        if (queue is null) Start();
        try
        {
            var (batch, cursor) = queue!.Take(cancellationToken);
            Cursor = cursor;
            return batch;
        }
        catch (InvalidOperationException) when (failure is not null)
        {
            failure.Throw();  // the producer failed: surface its exception, not "collection completed"
            throw;
        }
    }

    /// <inheritdoc />
    public void Restore(string cursor)
    {
        StopProducer();
        inner.Restore(cursor);
        Cursor = cursor;
    }

    private void Start()
    {
        var q = new BlockingCollection<(TBatch, string)>(capacity);
        var cts = new CancellationTokenSource();
        failure = null;
        producer = new Thread(() => Produce(q, cts.Token)) { IsBackground = true, Name = "batch-prefetch" };
        (queue, stop) = (q, cts);
        producer.Start();
    }

    private void Produce(BlockingCollection<(TBatch, string)> q, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var batch = inner.Next(ct);
                try
                {
                    q.Add((batch, inner.Cursor), ct);
                }
                catch (OperationCanceledException)
                {
                    batch.Dispose();
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            q.CompleteAdding();
        }
    }

    private void StopProducer()
    {
        if (queue is null) return;
        stop!.Cancel();
        producer!.Join();
        foreach (var (batch, _) in queue.GetConsumingEnumerable()) batch.Dispose();
        queue.Dispose();
        stop.Dispose();
        (queue, stop, producer) = (null, null, null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        StopProducer();
        inner.Dispose();
    }
}
