using System.Diagnostics;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Metrics;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Polling;
using Qlip.TrainerHost.Storage;

namespace Qlip.TrainerHost.Tests;

/// <summary>The Qlip.TrainerHost executable itself (its Program.cs) stopped by SIGTERM mid-run, as Container Apps scale-in does.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TrainerHostProcessTests(AzuriteFixture azurite)
{
    private const long Steps = 30;

    [Fact]
    public async Task SIGTERM_checkpoints_the_current_step_and_the_next_host_resumes_the_run_to_its_end_logging_every_step_once()
    {
        var (runId, dataset) = ($"term-{Guid.NewGuid():N}"[..20], $"ds-{Guid.NewGuid():N}"[..20]);
        var manifest = await TrainerHarness.UploadShardsAsync(azurite, dataset);
        // No periodic checkpoints: the only one before the end is the one SIGTERM makes.
        var request = TrainerHarness.Request(runId, manifest, Steps, extra: new() { ["checkpoint_every"] = "1000" });
        await TrainerHarness.SendAsync(azurite, StorageNames.Queues.TrainRuns, QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64));

        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Qlip.TrainerHost.dll"));
        start.Environment[StorageOptions.ConnectionStringVariable] = azurite.ConnectionString;
        start.Environment["Queues__MaxPollingInterval"] = "00:00:00.200";
        var metrics = azurite.Clients.Blob(BlobLayout.RunMetrics(runId));
        using var host = Process.Start(start)!;
        string log;
        try
        {
            var output = host.StandardOutput.ReadToEndAsync();
            var errors = host.StandardError.ReadToEndAsync();  // drained, or a full pipe would block the host
            await Eventually.WaitUntilAsync(async () => host.HasExited || await TrainRowsAsync(metrics) is { Count: >= 3 },
                TimeSpan.FromSeconds(180), "three logged training steps");
            if (host.HasExited) Assert.Fail($"the host exited before the run was stopped:\n{await output}{await errors}");
            Process.Start("kill", ["-TERM", $"{host.Id}"])!.WaitForExit();
            await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            log = await output + await errors;
        }
        finally
        {
            if (!host.HasExited) host.Kill();
        }

        Assert.Equal(0, host.ExitCode);
        var checkpoints = new BlobCheckpointStore(azurite.Clients, runId);
        var interruptedAt = await checkpoints.LatestAsync(CancellationToken.None);
        Assert.True(interruptedAt is >= 3 and < Steps, $"checkpoint at {interruptedAt}\n{log}");
        var row = (await azurite.Clients.Table(StorageNames.Tables.Runs).GetEntityAsync<RunEntity>("qlip-stage1", runId)).Value;
        Assert.Equal(RunStatus.Interrupted, row.Status);
        Assert.Equal(interruptedAt, row.LastCheckpoint);
        Assert.Equal(interruptedAt, (await TrainRowsAsync(metrics)).Max());

        // The message went back to the queue: the next host takes it and resumes from that checkpoint.
        using (var next = TrainerHarness.Host(azurite))
        {
            await next.StartAsync();
            var table = azurite.Clients.Table(StorageNames.Tables.Runs);
            await Eventually.WaitUntilAsync(async () => (await table.GetEntityAsync<RunEntity>("qlip-stage1", runId)).Value.Status == RunStatus.Completed,
                TimeSpan.FromSeconds(300), "the resumed run to complete");
            await next.StopAsync();
        }
        Assert.Equal(Steps, await checkpoints.LatestAsync(CancellationToken.None));
        Assert.Equal(Enumerable.Range(1, (int)Steps).Select(s => (long)s), (await TrainRowsAsync(metrics)).Order());
    }

    private static async Task<List<long>> TrainRowsAsync(Azure.Storage.Blobs.BlobClient metrics)
    {
        if (!(await metrics.ExistsAsync()).Value) return [];
        using var stream = new MemoryStream((await metrics.DownloadContentAsync()).Value.Content.ToArray());
        return JsonlMetrics.ReadAll(stream).Where(r => r.Kind == MetricsRow.Train).Select(r => r.Step).ToList();
    }
}
