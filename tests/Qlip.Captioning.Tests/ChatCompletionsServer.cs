using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Qlip.Captioning.Tests;

/// <summary>
/// A loopback HTTP/1.1 server on 127.0.0.1 and a free port that speaks just enough of the chat-completions protocol:
/// it records every request (arrival time, headers, body) and answers each with <c>reply(request)</c>.
/// </summary>
internal sealed class ChatCompletionsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RecordedRequest, ServerReply> _reply;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _accepting;
    private int _count;

    public ChatCompletionsServer(Func<RecordedRequest, ServerReply> reply)
    {
        _reply = reply;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The API base URL, as <c>Captioning:Endpoint</c> takes it.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1/");

    /// <summary>Time on the server's clock, which started when the server did.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.OrderBy(r => r.Index)];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true) connections.Add(ServeAsync(await _listener.AcceptTcpClientAsync(_stop.Token)));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                while (await ReadRequestAsync(stream) is { } request)
                {
                    _requests.Enqueue(request);
                    var reply = _reply(request);
                    if (reply.Stall)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }
                    await WriteReplyAsync(stream, reply);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client gave up (timeout) or the server is stopping.
            }
        }
    }

    private async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) return null;
            head.Add(one[0]);
        }
        var arrivedAt = Now;
        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var start = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        // The client holds the body back for up to a second waiting for this: without it every request arrives late.
        if (headers.TryGetValue("Expect", out var expect) && expect.Contains("100-continue", StringComparison.OrdinalIgnoreCase))
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stop.Token);
        byte[] body;
        if (headers.TryGetValue("Content-Length", out var length))
        {
            body = new byte[int.Parse(length)];
            await stream.ReadExactlyAsync(body, _stop.Token);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = await ReadChunkedAsync(stream);
        else
            body = [];
        return new RecordedRequest(Interlocked.Increment(ref _count) - 1, arrivedAt, start[0], start[1], headers, Encoding.UTF8.GetString(body));
    }

    private async Task<byte[]> ReadChunkedAsync(NetworkStream stream)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var size = Convert.ToInt32((await ReadLineAsync(stream)).Split(';')[0], 16);
            if (size == 0)
            {
                await ReadLineAsync(stream);
                return body.ToArray();
            }
            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk, _stop.Token);
            body.Write(chunk);
            await ReadLineAsync(stream);
        }
    }

    private async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
        {
            await stream.ReadExactlyAsync(one, _stop.Token);
            line.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. line])[..^2];
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';

    private async Task WriteReplyAsync(NetworkStream stream, ServerReply reply)
    {
        var body = Encoding.UTF8.GetBytes(reply.Body);
        var head = new StringBuilder($"HTTP/1.1 {reply.Status} {(HttpStatusCode)reply.Status}\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append($"Content-Length: {body.Length}\r\n");
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>()) head.Append($"{name}: {value}\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), _stop.Token);
        await stream.WriteAsync(body, _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }
}
