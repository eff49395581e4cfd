using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Qlip.ML.Training;
using Qlip.ML.Training.Checkpointing;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.TrainerHost.Hosting;
using Qlip.TrainerHost.Storage;

namespace Qlip.TrainerHost.Tests;

/// <summary>The trainer host on Azurite with real Fashion-MNIST shards and the tiny preset.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TrainRunHandlerTests(AzuriteFixture azurite)
{
    private static QueueMessageContext Context(long dequeue = 1) => new(StorageNames.Queues.TrainRuns, Guid.NewGuid().ToString(), dequeue, null);

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task A_run_message_completes_with_checkpoint_report_status_and_tokenize_follow_ups()
    {
        var (runId, dataset) = (NewId("e2e"), NewId("ds"));
        var manifest = await TrainerHarness.UploadShardsAsync(azurite, dataset);
        await TrainerHarness.SendAsync(azurite, StorageNames.Queues.TrainRuns,
            QueueMessageCodec.Encode(TrainerHarness.Request(runId, manifest), QueueBodyEncoding.Base64));
        using var host = TrainerHarness.Host(azurite);
        await host.StartAsync();
        var report = azurite.Clients.Blobs.GetBlobContainerClient(StorageNames.Containers.Runs).GetBlobClient($"{runId}/report.json");
        var row = azurite.Clients.Table(StorageNames.Tables.Runs);
        for (var i = 0; i < 600 && !await CompletedAsync(row, runId); i++) await Task.Delay(500);
        await host.StopAsync();

        Assert.True(await CompletedAsync(row, runId), "the run row should say completed");
        Assert.True((await report.ExistsAsync()).Value);
        using var json = JsonDocument.Parse((await report.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(2, json.RootElement.GetProperty("steps").GetInt64());
        Assert.InRange(json.RootElement.GetProperty("evaluation").GetProperty("zeroshot/top1").GetDouble(), 0, 1);
        var checkpoints = new BlobCheckpointStore(azurite.Clients, runId);
        Assert.Equal(2, await checkpoints.LatestAsync(CancellationToken.None));
        Assert.True((await checkpoints.Blob(2, TrainingCheckpoint.ModelFile).ExistsAsync()).Value);
        foreach (var name in new[] { "metrics.jsonl", "report.md", "plots/loss_curves.png", "plots/recon_test.png", "plots/zeroshot_confusion.png" })
            Assert.True((await azurite.Clients.Blobs.GetBlobContainerClient(StorageNames.Containers.Runs).GetBlobClient($"{runId}/{name}").ExistsAsync()).Value, name);

        var tokenize = (await TrainerHarness.PeekAllAsync(azurite, StorageNames.Queues.Tokenize))
            .Select(m => QueueMessageCodec.Decode<TokenizeRequest>(m.Body.ToString())).Where(d => d.Ok && d.Message!.Dataset == dataset).Select(d => d.Message!).ToList();
        Assert.Equal(["00000000", "00000001"], tokenize.Select(t => t.ShardId).Order());
        Assert.All(tokenize, t => Assert.Equal(azurite.Clients.Blob(TrainRunHandler.PublishedWeights(runId)).Uri, t.CheckpointUri));
        // The follow-up must be doable: the published checkpoint loads and tokenizes the shard under the run's id.
        using var tokenizer = new TokenizeHarness(azurite);
        await tokenizer.Handler.HandleAsync(tokenize[0], new QueueMessageContext(StorageNames.Queues.Tokenize, "t1", 1, null), CancellationToken.None);
        var tokens = await tokenizer.Store.ReadManifestAsync(dataset, runId, CancellationToken.None);
        Assert.Equal(16, Assert.Single(tokens.Files).Rows);
        Assert.DoesNotContain(await TrainerHarness.PeekAllAsync(azurite, StorageNames.Queues.TrainRuns), m => m.Body.ToString().Contains(runId));
    }

    [Fact]
    public async Task A_second_host_does_not_take_a_leased_run()
    {
        var runId = NewId("lease");
        var manifest = await TrainerHarness.UploadShardsAsync(azurite, NewId("ds"));
        var leaseBlob = azurite.Clients.Blob(TrainRunHandler.LeaseBlob(runId));
        await leaseBlob.UploadAsync(BinaryData.Empty);
        var otherHost = leaseBlob.GetBlobLeaseClient();
        await otherHost.AcquireAsync(TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<RunLeasedException>(() =>
            TrainerHarness.Handler(azurite, "second").HandleAsync(TrainerHarness.Request(runId, manifest), Context(), CancellationToken.None));
        Assert.Equal(runId, error.RunId);
        Assert.Null(await new BlobCheckpointStore(azurite.Clients, runId).LatestAsync(CancellationToken.None));
        await otherHost.ReleaseAsync();
    }

    [Fact]
    public async Task A_non_finite_loss_fails_the_run_with_a_clear_error_and_keeps_the_last_good_checkpoint()
    {
        var runId = NewId("nan");
        var manifest = await TrainerHarness.UploadShardsAsync(azurite, NewId("ds"));
        var handler = TrainerHarness.Handler(azurite, "h1");
        await handler.HandleAsync(TrainerHarness.Request(runId, manifest, steps: 2, extra: new() { ["checkpoint_every"] = "1" }), Context(), CancellationToken.None);

        var diverging = TrainerHarness.Request(runId, manifest, steps: 4, extra: new() { ["alpha_r"] = "1e300", ["checkpoint_every"] = "1" });
        // a permanent failure: a retry would resume step 2 and diverge again, so the worker host poisons it at once
        var failure = await Assert.ThrowsAsync<PermanentMessageException>(() => handler.HandleAsync(diverging, Context(), CancellationToken.None));
        var error = Assert.IsType<NonFiniteLossException>(failure.InnerException);
        Assert.Contains($"run {runId} stopped", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Step);
        Assert.Equal(2, error.LastCheckpointStep);
        Assert.Equal(2, await new BlobCheckpointStore(azurite.Clients, runId).LatestAsync(CancellationToken.None));
        var row = (await azurite.Clients.Table(StorageNames.Tables.Runs).GetEntityAsync<RunEntity>("qlip-stage1", runId)).Value;
        Assert.Equal(RunStatus.Failed, row.Status);
        Assert.Equal(2, row.LastCheckpoint);
        Assert.Contains("step 2", row.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-kind", "tiny", "unknown run kind 'no-such-kind'")]
    [InlineData("qlip-stage1", "no-such-preset", "unknown preset 'no-such-preset'")]
    public async Task An_invalid_spec_ends_in_poison_with_the_reason(string kind, string preset, string reason)
    {
        var runId = NewId("bad");
        var request = TrainerHarness.Request(runId, new Uri("http://127.0.0.1/shards/none/sizes.json"), kind: kind, preset: preset);
        await TrainerHarness.SendAsync(azurite, StorageNames.Queues.TrainRuns, QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64));
        using var host = TrainerHarness.Host(azurite);
        await host.StartAsync();
        PoisonMessage? poisoned = null;
        for (var i = 0; i < 300 && poisoned is null; i++)
        {
            await Task.Delay(200);
            var peeked = (await azurite.Clients.Queue(StorageNames.Queues.PoisonOf(StorageNames.Queues.TrainRuns)).PeekMessagesAsync(32)).Value;
            poisoned = peeked.Select(m => QueueMessageCodec.Decode<PoisonMessage>(m.Body.ToString())).Where(d => d.Ok && Encoding.UTF8.GetString(Convert.FromBase64String(d.Message!.Body)).Contains(runId, StringComparison.Ordinal))
                .Select(d => d.Message!).FirstOrDefault();
        }
        await host.StopAsync();
        Assert.NotNull(poisoned);
        Assert.Contains(reason, poisoned.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"permanent failure: run {runId}: invalid run spec: ", poisoned.Reason, StringComparison.Ordinal);
        Assert.Equal(1, poisoned.Attempts);  // not five long attempts
    }

    [Theory]
    [InlineData(15, 40, 600)]
    [InlineData(0.01, 40, 1)]
    [InlineData(90, 2.5, 225)]
    public void A_minutes_only_budget_plans_its_schedule_from_the_host_pace(double minutes, double stepsPerMinute, long steps) =>
        Assert.Equal(steps, TrainRunHandler.PlannedSteps(minutes, new TrainerHostOptions { StepsPerMinute = stepsPerMinute }));

    [Fact]
    public void A_host_takes_one_run_at_a_time_and_stops_it_without_training_on_unless_configured_otherwise()
    {
        using var host = TrainerHarness.Host(azurite);
        var defaults = host.Services.GetRequiredService<IOptionsMonitor<QueueWorkerOptions>>().Get(StorageNames.Queues.TrainRuns);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Queues:train-runs:BatchSize"] = "2" });
        builder.AddTrainer();
        using var configured = builder.Build();

        Assert.Equal((1, 1), (defaults.BatchSize, defaults.ResolveNewBatchThreshold()));
        Assert.Equal(TimeSpan.Zero, defaults.ShutdownTimeout);  // on SIGTERM the run checkpoints at once
        Assert.Equal(2, configured.Services.GetRequiredService<IOptionsMonitor<QueueWorkerOptions>>().Get(StorageNames.Queues.TrainRuns).BatchSize);
        Assert.Equal(16, host.Services.GetRequiredService<IOptionsMonitor<QueueWorkerOptions>>().Get(StorageNames.Queues.Tokenize).BatchSize);
    }

    private static async Task<bool> CompletedAsync(Azure.Data.Tables.TableClient table, string runId) =>
        await table.GetEntityIfExistsAsync<RunEntity>("qlip-stage1", runId) is { HasValue: true, Value.Status: RunStatus.Completed };
}
