using System.Net;
using Azure;
using Qlip.Shared.Dev;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Tests.Storage;

/// <summary>The Polly retry step against a loopback HTTP server that fails a set number of times, then succeeds.</summary>
public sealed class StorageRetryPolicyTests
{
    [Fact]
    public async Task Retries_transient_503s_until_the_service_answers()
    {
        using var server = new FlakyServer(failures: 2);
        var clients = new StorageClients(Options(server.Port, maxRetries: 3));

        await clients.Blobs.GetBlobContainerClient("incoming").CreateAsync();

        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task Gives_up_after_max_retries_with_the_last_status()
    {
        using var server = new FlakyServer(failures: 10);
        var clients = new StorageClients(Options(server.Port, maxRetries: 2));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => clients.Blobs.GetBlobContainerClient("incoming").CreateAsync());

        Assert.Equal(503, error.Status);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task Does_not_retry_a_client_error()
    {
        using var server = new FlakyServer(failures: 10, status: HttpStatusCode.Conflict);
        var clients = new StorageClients(Options(server.Port, maxRetries: 3));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => clients.Blobs.GetBlobContainerClient("incoming").CreateAsync());

        Assert.Equal(409, error.Status);
        Assert.Equal(1, server.Requests);
    }

    private static StorageOptions Options(int port, int maxRetries) => new()
    {
        ConnectionString = new AzuritePorts(port, port, port).ConnectionString,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
    };

    private sealed class FlakyServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _requests;

        public FlakyServer(int failures, HttpStatusCode status = HttpStatusCode.ServiceUnavailable)
        {
            Port = AzuritePorts.PickFree().Blob;
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                    var n = Interlocked.Increment(ref _requests);
                    context.Response.StatusCode = n <= failures ? (int)status : (int)HttpStatusCode.Created;
                    context.Response.Close();
                }
            });
        }

        public int Port { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose() => _listener.Close();
    }
}
