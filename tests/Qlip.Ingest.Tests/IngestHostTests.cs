using System.Diagnostics;
using Qlip.Data.WebDataset;
using Qlip.Shared.Shards;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Polling;

namespace Qlip.Ingest.Tests;

/// <summary>The Qlip.Ingest executable itself (its Program.cs), configured only by environment variables as in Azure.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IngestHostTests(AzuriteFixture azurite, FashionMnistShards shards) : IClassFixture<FashionMnistShards>
{
    [Fact]
    public async Task The_ingest_host_ingests_a_shard_from_its_queue_and_stops_on_SIGTERM()
    {
        var dataset = $"ih-{Guid.NewGuid():N}"[..16];
        await new ShardUploader(azurite.Clients, TimeProvider.System).AddAsync(dataset, [shards.Tar(1)], CancellationToken.None);
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Qlip.Ingest.dll"));
        start.Environment[StorageOptions.ConnectionStringVariable] = azurite.ConnectionString;
        start.Environment["Queues__MaxPollingInterval"] = "00:00:00.200";
        using var host = Process.Start(start)!;
        var output = host.StandardOutput.ReadToEndAsync();

        var stats = azurite.Clients.Blob(BlobLayout.ShardStats(dataset, "00000001"));
        await Eventually.WaitUntilAsync(async () => (await stats.ExistsAsync()).Value || host.HasExited,
            TimeSpan.FromSeconds(90), "the stats blob");
        var stillRunning = !host.HasExited;
        Process.Start("kill", ["-TERM", $"{host.Id}"])!.WaitForExit();
        await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var log = await output;

        Assert.True(stillRunning, log);
        Assert.Equal(50, ShardStats.Parse((await stats.DownloadContentAsync()).Value.Content.ToArray()).Count);
        Assert.Contains($"Ingested incoming/{dataset}/00000001.tar as shard 00000001 (webdataset): 50 samples read, 50 written", log);
        Assert.Contains("Stopped listening on ingest", log);
        Assert.Equal(0, host.ExitCode);
    }
}
