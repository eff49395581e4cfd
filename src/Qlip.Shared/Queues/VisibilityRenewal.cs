using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace Qlip.Shared.Queues;

/// <summary>
/// Keeps a message invisible while its handler runs: every half visibility timeout it extends the lease, which gives a
/// new pop receipt. <see cref="StopAsync"/> returns the latest receipt for the final delete or release. An update that
/// is under way is never cancelled: its new receipt would be lost and the delete would fail.
/// </summary>
internal sealed class VisibilityRenewal
{
    private readonly QueueClient _queue;
    private readonly string _messageId;
    private readonly TimeSpan _visibilityTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string _popReceipt;

    public VisibilityRenewal(QueueClient queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, ILogger logger)
    {
        _queue = queue;
        _messageId = messageId;
        _popReceipt = popReceipt;
        _visibilityTimeout = visibilityTimeout;
        _logger = logger;
        _loop = RenewAsync();
    }

    public async Task<string> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        return _popReceipt;
    }

    private async Task RenewAsync()
    {
        while (true)
        {
            try
            {
                await Task.Delay(_visibilityTimeout / 2, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var receipt = await _queue.UpdateMessageAsync(_messageId, _popReceipt, visibilityTimeout: _visibilityTimeout,
                    cancellationToken: CancellationToken.None);
                _popReceipt = receipt.Value.PopReceipt;
            }
            catch (RequestFailedException e)
            {
                // Lease lost (the message was deleted or re-received elsewhere): the handler finishes; at-least-once holds.
                QueueWorkerLog.RenewalFailed(_logger, _queue.Name, _messageId, e.Status, e.ErrorCode);
                return;
            }
        }
    }
}
