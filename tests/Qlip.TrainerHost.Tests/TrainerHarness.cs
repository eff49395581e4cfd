using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.ML.Training.Runs;
using Qlip.Shared.Hosting;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Data;
using Qlip.TrainerHost.Hosting;

namespace Qlip.TrainerHost.Tests;

/// <summary>Real Fashion-MNIST shards uploaded under <c>shards/{dataset}/</c>, run messages, and a trainer host or handler on Azurite.</summary>
internal static class TrainerHarness
{
    public static async Task<Uri> UploadShardsAsync(AzuriteFixture azurite, string dataset, int samples = 32, int shardSize = 16)
    {
        var folder = Directory.CreateTempSubdirectory("qlip-trainer-shards-").FullName;
        try
        {
            await DataMaker.MakeAsync(new DataMakeOptions("fashion-mnist", DataSplit.Train, shardSize, folder) { Limit = samples }, RealData.Paths);
            foreach (var file in Directory.GetFiles(folder).Where(f => f.EndsWith(".tar", StringComparison.Ordinal) || f.EndsWith("sizes.json", StringComparison.Ordinal)))
                await azurite.Clients.Blobs.GetBlobContainerClient(StorageNames.Containers.Shards)
                    .GetBlobClient($"{dataset}/{Path.GetFileName(file)}").UploadAsync(file, overwrite: true);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return azurite.Clients.Blob(BlobLayout.Sizes(dataset)).Uri;
    }

    public static TrainRunRequest Request(string runId, Uri manifest, long steps = 2, string kind = "qlip-stage1", string preset = "tiny",
        Dictionary<string, string>? extra = null)
    {
        var hyperparameters = new Dictionary<string, string>
        {
            ["batch_size"] = "8", ["eval_images"] = "20", ["eval_photos"] = "2", ["log_every"] = "1", ["shuffle_buffer"] = "8",
        };
        foreach (var (k, v) in extra ?? []) hyperparameters[k] = v;
        return new TrainRunRequest
        {
            RunId = runId, Kind = kind, Preset = preset, ManifestUris = [manifest], Budget = new TrainBudget { Steps = steps },
            Hyperparameters = hyperparameters.ToDictionary(h => h.Key, h => JsonDocument.Parse(JsonSerializer.Serialize(h.Value)).RootElement),
        };
    }

    public static TrainRunHandler Handler(AzuriteFixture azurite, string hostId) =>
        new(azurite.Clients, RunKinds.Create(), Options.Create(new TrainerHostOptions { HostId = hostId, CancelPollInterval = TimeSpan.FromMilliseconds(200) }),
            NullLogger<TrainRunHandler>.Instance);

    /// <summary>An in-process trainer host (its real registrations) against Azurite, polling fast.</summary>
    public static IHost Host(AzuriteFixture azurite)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Queues:MaxPollingInterval"] = "00:00:00.200",
            ["Queues:RetryDelay"] = "00:00:00",
            ["Trainer:CancelPollInterval"] = "00:00:00.200",
        });
        builder.AddQlipDefaults();
        builder.AddTrainer();
        return builder.Build();
    }

    public static async Task SendAsync(AzuriteFixture azurite, string queue, string body) =>
        await azurite.Clients.Queue(queue).SendMessageAsync(body);

    public static async Task<List<QueueMessage>> PeekAllAsync(AzuriteFixture azurite, string queue) =>
        [.. (await azurite.Clients.Queue(queue).ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1))).Value];
}
