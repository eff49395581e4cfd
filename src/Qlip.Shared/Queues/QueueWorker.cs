using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Queues;

/// <summary>
/// The listener of one queue (the WebJobs QueueListener's part of the Functions contract): polls with randomized
/// backoff, fetches up to BatchSize messages whenever fewer than the new-batch threshold are in flight, and hands each
/// to <see cref="QueueMessageProcessor{TMessage}"/>. On stop it fetches nothing more, lets running handlers finish for
/// ShutdownTimeout, then cancels them so their messages become visible again.
/// </summary>
internal sealed class QueueWorker<TMessage>(
    string queueName,
    StorageClients clients,
    IServiceScopeFactory scopes,
    IOptionsMonitor<QueueWorkerOptions> optionsMonitor,
    ILogger<QueueWorker<TMessage>> logger) : BackgroundService
    where TMessage : class, IQueueMessage<TMessage>
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = optionsMonitor.Get(queueName);
        var queue = clients.Queue(queueName);
        var poisonQueue = clients.Queue(StorageNames.Queues.PoisonOf(queueName));
        var processor = new QueueMessageProcessor<TMessage>(queueName, queue, poisonQueue, options, scopes, logger);
        var threshold = options.ResolveNewBatchThreshold();
        var backoff = new RandomizedBackoff(options.MinPollingInterval, options.MaxPollingInterval);
        using var handlerStop = new CancellationTokenSource();
        var inFlight = new List<Task>();
        QueueWorkerLog.Started(logger, queueName, options.BatchSize, threshold, options.MaxDequeueCount);

        while (!stoppingToken.IsCancellationRequested)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            if (inFlight.Count >= threshold)
            {
                await Task.WhenAny(Task.WhenAny(inFlight), Task.Delay(Timeout.Infinite, stoppingToken));
                continue;
            }
            var batch = await ReceiveAsync(queue, options, stoppingToken);
            if (batch is null or { Length: 0 })
            {
                await Pause(backoff.Next(), stoppingToken);
                continue;
            }
            backoff.Reset();
            foreach (var message in batch)
                inFlight.Add(processor.ProcessAsync(message, handlerStop.Token));
        }

        handlerStop.CancelAfter(options.ShutdownTimeout);
        await Task.WhenAll(inFlight);
        QueueWorkerLog.Stopped(logger, queueName);
    }

    private async Task<QueueMessage[]?> ReceiveAsync(Azure.Storage.Queues.QueueClient queue, QueueWorkerOptions options, CancellationToken ct)
    {
        try
        {
            return (await queue.ReceiveMessagesAsync(options.BatchSize, options.VisibilityTimeout, ct)).Value;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            QueueWorkerLog.QueueMissing(logger, queueName);
            return null;
        }
        catch (Exception e)
        {
            // Anything else (an outage outlasting the retries, a network timeout) must not stop the listener.
            QueueWorkerLog.ReceiveFailed(logger, queueName, e.Message);
            return null;
        }
    }

    private static async Task Pause(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the polling.
        }
    }
}
