using System.Diagnostics;
using System.Text;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;

namespace Qlip.Shared.Tests.Queues;

/// <summary>A worker process killed with SIGKILL in the middle of a message: the message must come back, the output appear once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class KilledWorkerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    // The killed worker's lease is short so the test is quick; the second worker's is long so that a loaded machine
    // cannot make it lose its own lease (which would be a legitimate third delivery, not what this test is about).
    private static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LongLease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_message_of_a_killed_worker_comes_back_after_its_visibility_timeout_and_its_output_exists_once()
    {
        var queueName = $"k-{Guid.NewGuid():N}"[..20];
        var queue = azurite.Clients.Queue(queueName);
        await queue.CreateAsync();
        await azurite.Clients.Queue(StorageNames.Queues.PoisonOf(queueName)).CreateAsync();
        var container = azurite.Clients.Blobs.GetBlobContainerClient(ChildWorker.Container);
        await container.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(QueueMessageCodec.Encode(WorkerHarness<RecordingHandler>.Request("00000009"), QueueBodyEncoding.Base64));

        using var first = Start(queueName, hang: true, ShortLease);
        await WorkerHarness<RecordingHandler>.WaitUntilAsync(
            async () => (await container.GetBlobClient($"{queueName}/attempts/1").ExistsAsync()).Value, Patience, $"the first attempt to start ({first.Output})");
        first.Process.Kill();
        await first.Process.WaitForExitAsync();
        var invisibleAfterKill = (await queue.PeekMessagesAsync(1)).Value.Length == 0;

        using var second = Start(queueName, hang: false, LongLease);
        var output = container.GetBlobClient($"{queueName}/output/00000009.json");
        await WorkerHarness<RecordingHandler>.WaitUntilAsync(
            async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Patience, $"the message to be completed ({second.Output})");
        second.Process.Kill();

        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{queueName}/", CancellationToken.None)) blobs.Add(blob.Name);
        Assert.True(invisibleAfterKill, "the killed worker's message was visible before its visibility timeout");
        // On a loaded machine a renewal can be late and the message delivered once more; what must hold is that the
        // killed attempt was redelivered and the output exists exactly once.
        Assert.Equal([$"{queueName}/output/00000009.json"], blobs.Where(b => b.Contains("/output/")));
        var attempts = blobs.Count(b => b.Contains("/attempts/"));
        Assert.InRange(attempts, 2, 4);
        Assert.Matches("^\\{\"dequeueCount\":[2-4]\\}$", (await output.DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal(0, (await azurite.Clients.Queue(StorageNames.Queues.PoisonOf(queueName)).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private ChildProcess Start(string queueName, bool hang, TimeSpan visibility)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["exec", typeof(ChildWorker).Assembly.Location, ChildWorker.Command, queueName])
            start.ArgumentList.Add(arg);
        start.Environment[StorageOptions.ConnectionStringVariable] = azurite.ConnectionString;
        start.Environment["Queues__VisibilityTimeout"] = visibility.ToString();
        start.Environment["Queues__MaxPollingInterval"] = "00:00:00.200";
        start.Environment[ChildWorker.HangOnFirstDelivery] = hang ? "1" : "0";
        return new ChildProcess(Process.Start(start)!);
    }

    private sealed class ChildProcess : IDisposable
    {
        private readonly StringBuilder _output = new();

        public ChildProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill();
            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_output) _output.AppendLine(line);
        }
    }
}
