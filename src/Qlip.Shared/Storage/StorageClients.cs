using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Qlip.Shared.Storage;

/// <summary>
/// The blob, queue and table service clients, built once from <see cref="StorageOptions"/>: transient faults retried
/// through Polly, the storage service version pinned to one that Azurite 3.37 accepts (so it works even without
/// <c>--skipApiVersionCheck</c>), and queue bodies left untouched so the worker host can accept base64 and plain JSON.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(IOptions<StorageOptions> options) : this(options.Value) { }

    public StorageClients(StorageOptions options)
    {
        var retry = new StorageRetryPolicy(options);
        var blobOptions = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06) { RetryPolicy = retry };
        var queueOptions = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06)
        {
            RetryPolicy = retry,
            MessageEncoding = QueueMessageEncoding.None,
        };
        var tableOptions = new TableClientOptions { RetryPolicy = retry };

        if (options.ResolveConnectionString() is { } connectionString)
        {
            Blobs = new BlobServiceClient(connectionString, blobOptions);
            Queues = new QueueServiceClient(connectionString, queueOptions);
            Tables = new TableServiceClient(connectionString, tableOptions);
        }
        else
        {
            var (blob, queue, table) = options.ResolveKeylessEndpoints()!.Value;
            var credential = new DefaultAzureCredential();
            Blobs = new BlobServiceClient(blob, credential, blobOptions);
            Queues = new QueueServiceClient(queue, credential, queueOptions);
            Tables = new TableServiceClient(table, credential, tableOptions);
        }
    }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    public BlobClient Blob(BlobPath path) => Blobs.GetBlobContainerClient(path.Container).GetBlobClient(path.Name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    public TableClient Table(string name) => Tables.GetTableClient(name);

    /// <summary>The blob endpoint without credentials or query: safe to print and log.</summary>
    public string Describe() => Blobs.Uri.GetLeftPart(UriPartial.Path);

    /// <summary>
    /// Whether all three endpoints accept a TCP connection within <paramref name="timeout"/>: a quick check before
    /// work, so an unstarted dev store gives one clear line instead of a minute of retries.
    /// </summary>
    public async Task<bool> IsReachableAsync(TimeSpan timeout, CancellationToken ct)
    {
        foreach (var uri in new[] { Blobs.Uri, Queues.Uri, Tables.Uri })
        {
            using var client = new TcpClient();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            try
            {
                await client.ConnectAsync(uri.Host, uri.Port, cts.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                return false;
            }
        }
        return true;
    }
}
