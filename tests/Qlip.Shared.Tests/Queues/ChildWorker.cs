using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Hosting;
using Qlip.Shared.Hosting;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Tests.Queues;

/// <summary>
/// The test assembly's entry point when started as <c>dotnet Qlip.Shared.Tests.dll child-worker QUEUE</c>: a real
/// Generic Host with <see cref="OutputWritingHandler"/>, for the test that kills a worker with SIGKILL.
/// </summary>
public static class ChildWorker
{
    public const string Command = "child-worker";

    /// <summary>Environment variable: when "1", the first delivery hangs after marking its start (the worker is killed there).</summary>
    public const string HangOnFirstDelivery = "QLIP_TEST_HANG_FIRST";

    public const string Container = "kill-test";

    public static int Main(string[] args)
    {
        if (args is not [Command, var queueName]) return 2;
        var builder = Host.CreateApplicationBuilder();
        builder.AddQlipDefaults();
        builder.Services.AddQueueHandler<TokenizeRequest, OutputWritingHandler>(queueName);
        builder.Build().Run();
        return 0;
    }

    /// <summary>Marks each attempt, then writes the output once (conditional create), like a real idempotent stage.</summary>
    public sealed class OutputWritingHandler(StorageClients clients) : IQueueHandler<TokenizeRequest>
    {
        public async Task HandleAsync(TokenizeRequest message, QueueMessageContext context, CancellationToken ct)
        {
            var container = clients.Blobs.GetBlobContainerClient(Container);
            await container.GetBlobClient($"{context.QueueName}/attempts/{context.DequeueCount}")
                .UploadAsync(BinaryData.FromString(context.MessageId), overwrite: true, ct);
            if (Environment.GetEnvironmentVariable(HangOnFirstDelivery) == "1" && context.DequeueCount == 1)
                await Task.Delay(Timeout.Infinite, ct);
            try
            {
                await container.GetBlobClient($"{context.QueueName}/output/{message.ShardId}.json").UploadAsync(
                    BinaryData.FromString($"{{\"dequeueCount\":{context.DequeueCount}}}"),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // An earlier attempt wrote it: done.
            }
        }
    }
}
