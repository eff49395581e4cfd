using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Qlip.TrainerHost;

/// <summary>
/// A blob lease on <c>runs/{id}/lease</c> held while a host trains the run and renewed in the background, so two hosts
/// never train the same run. Disposing stops the renewal and releases the lease.
/// </summary>
public sealed partial class RunLease : IAsyncDisposable
{
    private readonly BlobLeaseClient lease;
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewal;
    private readonly ILogger logger;

    private RunLease(BlobLeaseClient lease, TimeSpan duration, ILogger logger)
    {
        (this.lease, this.logger) = (lease, logger);
        renewal = RenewAsync(duration / 3);
    }

    /// <summary>Set when a renewal failed: the lease may be lost, so the run should stop.</summary>
    public CancellationToken Lost => lostSource.Token;

    private readonly CancellationTokenSource lostSource = new();

    /// <summary>Takes the lease on <paramref name="blob"/> (created empty when missing).</summary>
    /// <exception cref="RunLeasedException">Another host holds it.</exception>
    public static async Task<RunLease> AcquireAsync(BlobClient blob, string runId, TimeSpan duration, ILogger logger, CancellationToken ct)
    {
        try
        {
            await blob.UploadAsync(BinaryData.Empty, overwrite: false, ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // exists already (possibly leased: writing a leased blob is 412)
        }
        var client = blob.GetBlobLeaseClient();
        try
        {
            await client.AcquireAsync(duration, cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new RunLeasedException(runId);
        }
        return new RunLease(client, duration, logger);
    }

    private async Task RenewAsync(TimeSpan every)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stop.Token);
                await lease.RenewAsync(cancellationToken: stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException e)
            {
                LeaseLost(logger, lease.Uri, e.Status);
                await lostSource.CancelAsync();
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewal;
        try
        {
            await lease.ReleaseAsync();
        }
        catch (RequestFailedException)
        {
            // already expired or taken: nothing to release
        }
        stop.Dispose();
        lostSource.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Run lease {LeaseUri} could not be renewed (status {Status}); stopping the run")]
    private static partial void LeaseLost(ILogger logger, Uri leaseUri, int status);
}
