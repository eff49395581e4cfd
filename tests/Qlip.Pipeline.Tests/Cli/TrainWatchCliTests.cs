using System.Text;
using Azure.Storage.Blobs.Specialized;
using Qlip.ML.Training.Metrics;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.TrainerHost.Storage;

namespace Qlip.Pipeline.Tests.Cli;

/// <summary>`qlip train watch` follows a run's status row and metrics blob and exits when the run is over.</summary>
[Collection(CliAzuriteCollection.Name)]
public sealed class TrainWatchCliTests(AzuriteFixture azurite)
{
    private Dictionary<string, string> Env => new() { [StorageOptions.ConnectionStringVariable] = azurite.ConnectionString };

    [Theory]
    [InlineData(RunStatus.Completed, 0)]
    [InlineData(RunStatus.Failed, 1)]
    public async Task Prints_each_new_step_with_losses_rate_and_eta_and_exits_when_the_run_is_over(string final, int exitCode)
    {
        var runId = $"watch-{Guid.NewGuid():N}"[..16];
        var table = azurite.Clients.Table(StorageNames.Tables.Runs);
        var row = new RunEntity { PartitionKey = "qlip-stage1", RowKey = runId, Status = RunStatus.Running, MaxSteps = 100, UpdatedAt = DateTimeOffset.UtcNow };
        await table.UpsertEntityAsync(row);
        var path = BlobLayout.RunMetrics(runId);
        var metrics = azurite.Clients.Blobs.GetBlobContainerClient(path.Container).GetAppendBlobClient(path.Name);
        await metrics.CreateIfNotExistsAsync();
        await AppendAsync(metrics, Train(10, 2.5, 40));

        using var watch = QlipProcess.Start(Env, "train", "watch", "--run", runId, "--interval", "0.2");
        await WaitForAsync(watch, "step 10/100");
        await AppendAsync(metrics, Train(20, 1.25, 40));
        await WaitForAsync(watch, "step 20/100");
        row.Status = final;
        row.LastCheckpoint = 20;
        row.Summary = final == RunStatus.Failed ? "non-finite loss at step 21" : null;
        await table.UpsertEntityAsync(row);

        Assert.True(watch.Process.WaitForExit(TimeSpan.FromSeconds(60)), $"watch did not exit: {watch.Stdout}{watch.Stderr}");
        watch.Process.WaitForExit();  // the timed overload returns before the async stdout reader has its last lines
        Assert.Equal(exitCode, watch.Process.ExitCode);
        // 80 steps left at 500 ms each
        Assert.Contains("step 20/100  loss 1.25  loss/align 0.25  images/s 40.0  ETA 00:00:40", watch.Stdout, StringComparison.Ordinal);
        Assert.Single(watch.Stdout.Split('\n'), l => l.StartsWith("step 10/100", StringComparison.Ordinal));
        Assert.Contains($"run {runId}: {final} at checkpoint step 20", watch.Stdout, StringComparison.Ordinal);
    }

    private static MetricsRow Train(long step, double loss, double imagesPerSecond) => new(step, MetricsRow.Train, new Dictionary<string, double>
    {
        ["loss"] = loss, ["loss/align"] = loss / 5, ["images_per_s"] = imagesPerSecond, ["ms_per_step"] = 500,
    });

    private static async Task AppendAsync(AppendBlobClient blob, MetricsRow row)
    {
        using var line = new MemoryStream(Encoding.UTF8.GetBytes(JsonlMetrics.Format(row) + "\n"));
        await blob.AppendBlockAsync(line);
    }

    private static async Task WaitForAsync(QlipProcess watch, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!watch.Stdout.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no '{text}' from watch: {watch.Stdout}{watch.Stderr}");
            Assert.False(watch.Process.HasExited, $"watch exited early: {watch.Stdout}{watch.Stderr}");
            await Task.Delay(100);
        }
    }
}
