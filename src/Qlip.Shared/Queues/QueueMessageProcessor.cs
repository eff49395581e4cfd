using System.Diagnostics;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Queues;

/// <summary>
/// The life of one received message, as the WebJobs QueueProcessor splits it: begin (too many dequeues or an unreadable
/// body → poison), run the handler in its own DI scope while the lease is renewed, complete (success → delete;
/// failure → poison at MaxDequeueCount, else visible again; a <see cref="PermanentMessageException"/> → poison at once;
/// shutdown → visible again at once; a <see cref="MessageDeferredException{TMessage}"/> → its next message queued with
/// its delay in place of this one).
/// </summary>
internal sealed class QueueMessageProcessor<TMessage>(
    string queueName,
    QueueClient queue,
    QueueClient poisonQueue,
    QueueWorkerOptions options,
    IServiceScopeFactory scopes,
    ILogger logger)
    where TMessage : class, IQueueMessage<TMessage>
{
    private const string Decoder = "QueueMessageCodec";
    private const int MaxReasonLength = 4096;

    /// <summary>Never throws: every outcome ends in delete, release or poison (or a logged lost lease).</summary>
    public async Task ProcessAsync(QueueMessage message, CancellationToken handlerToken)
    {
        try
        {
            await ProcessCoreAsync(message, handlerToken);
        }
        catch (RequestFailedException e)
        {
            QueueWorkerLog.CompletionFailed(logger, queueName, message.MessageId, e.Status, e.ErrorCode);
        }
        catch (Exception e)
        {
            // The storage was unreachable past the retries while completing: the lease runs out and the message returns.
            QueueWorkerLog.CompletionError(logger, e, queueName, message.MessageId);
        }
    }

    private async Task ProcessCoreAsync(QueueMessage message, CancellationToken handlerToken)
    {
        if (message.DequeueCount > options.MaxDequeueCount)
        {
            var reason = $"dequeued {message.DequeueCount} times, more than MaxDequeueCount {options.MaxDequeueCount} (its workers kept dying)";
            await PoisonAsync(message, message.PopReceipt, Decoder, reason);
            return;
        }
        var decoded = QueueMessageCodec.Decode<TMessage>(message.Body.ToString());
        if (!decoded.Ok)
        {
            await PoisonAsync(message, message.PopReceipt, Decoder, decoded.Rejection);
            return;
        }

        var handlerName = "";
        var renewal = new VisibilityRenewal(queue, message.MessageId, message.PopReceipt, options.VisibilityTimeout, logger);
        var clock = Stopwatch.StartNew();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var handler = scope.ServiceProvider.GetRequiredKeyedService<IQueueHandler<TMessage>>(queueName);
                handlerName = handler.GetType().FullName ?? handler.GetType().Name;
                var context = new QueueMessageContext(queueName, message.MessageId, message.DequeueCount, message.InsertedOn);
                await handler.HandleAsync(decoded.Message, context, handlerToken);
            }
            var receipt = await renewal.StopAsync();
            await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
            QueueWorkerLog.Processed(logger, queueName, message.MessageId, message.DequeueCount, clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (handlerToken.IsCancellationRequested)
        {
            var receipt = await renewal.StopAsync();
            await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
            QueueWorkerLog.Released(logger, queueName, message.MessageId);
        }
        catch (MessageDeferredException<TMessage> e)
        {
            var receipt = await renewal.StopAsync();
            // Queue the copy first, then delete: a crash in between leaves a duplicate (handlers are idempotent), never a loss.
            await queue.SendMessageAsync(QueueMessageCodec.Encode(e.Next, QueueBodyEncoding.Base64), e.Delay, cancellationToken: CancellationToken.None);
            await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
            QueueWorkerLog.Deferred(logger, queueName, message.MessageId, message.DequeueCount, e.Delay, e.Message);
        }
        catch (Exception e)
        {
            var receipt = await renewal.StopAsync();
            if (e is PermanentMessageException)
            {
                await PoisonAsync(message, receipt, handlerName, $"permanent failure: {e.Message}");
                return;
            }
            if (message.DequeueCount >= options.MaxDequeueCount)
            {
                await PoisonAsync(message, receipt, handlerName, $"{e.GetType().FullName}: {e.Message}");
                return;
            }
            QueueWorkerLog.Failed(logger, e, queueName, message.MessageId, message.DequeueCount, options.MaxDequeueCount);
            await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: options.RetryDelay, cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>Copies the message with its reason to the poison queue, then deletes the original (in that order: never lost).</summary>
    private async Task PoisonAsync(QueueMessage message, string popReceipt, string handler, string reason)
    {
        if (reason.Length > MaxReasonLength) reason = reason[..MaxReasonLength];
        var poison = new PoisonMessage
        {
            Queue = queueName,
            MessageId = message.MessageId,
            Handler = string.IsNullOrEmpty(handler) ? typeof(TMessage).Name : handler,
            Reason = reason,
            Attempts = message.DequeueCount,
            PoisonedAt = DateTimeOffset.UtcNow,
            InsertedOn = message.InsertedOn,
            Body = message.Body.ToString(),
        };
        await poisonQueue.SendMessageAsync(EncodeWithinLimit(poison), CancellationToken.None);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None);
        QueueWorkerLog.Poisoned(logger, queueName, message.MessageId, poisonQueue.Name, message.DequeueCount, reason);
    }

    private static string EncodeWithinLimit(PoisonMessage poison)
    {
        try
        {
            return QueueMessageCodec.Encode(poison, QueueBodyEncoding.Base64);
        }
        catch (InvalidOperationException)
        {
            // A body near 64 KiB plus the reason does not fit: keep the reason and the body's start (worst case:
            // every character JSON-escaped to 6 bytes, then base64 adds a third).
            const int bodyBudget = (QueueMessageCodec.MaxMessageBytes * 3 / 4 - MaxReasonLength * 6 - 1024) / 6;
            return QueueMessageCodec.Encode(poison with { Body = poison.Body[..bodyBudget], BodyTruncated = true }, QueueBodyEncoding.Base64);
        }
    }
}
