using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.ML.Checkpoints;
using Qlip.ML.Configs;
using Qlip.ML.Training;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage1;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.TrainerHost.Storage;

namespace Qlip.TrainerHost;

/// <summary>
/// Trains one <see cref="TrainRunRequest"/>: validates it against the run kinds, takes the run's blob lease (another
/// host's lease → <see cref="RunLeasedException"/>, the message returns for later), trains with blob-backed
/// checkpoints, metrics and report (resuming the newest complete checkpoint), polls the cancel marker, records status
/// rows in the <c>runs</c> table, and when a stage-1 run completes publishes its final weights in the checkpoint layout every consumer
/// reads (<c>checkpoints/{run}/model.safetensors</c> + <c>config.json</c>, see <see cref="PublishedWeights"/>) and enqueues a
/// <see cref="TokenizeRequest"/> per shard with it. Shutdown checkpoints and rethrows, so the worker host makes the message
/// visible again.
/// </summary>
public sealed partial class TrainRunHandler(StorageClients clients, RunKindRegistry kinds, IOptions<TrainerHostOptions> options,
    ILogger<TrainRunHandler> logger) : IQueueHandler<TrainRunRequest>
{
    /// <summary>The blob whose existence asks a running run to stop: <c>runs/{id}/cancel</c>.</summary>
    public static BlobPath CancelMarker(string runId) => BlobLayout.Run(runId, "cancel");

    /// <summary>The run's lease blob: <c>runs/{id}/lease</c>.</summary>
    public static BlobPath LeaseBlob(string runId) => BlobLayout.Run(runId, "lease");

    /// <summary>
    /// A completed run's final weights, <c>checkpoints/{id}/model.safetensors</c>, with its <c>config.json</c> beside it:
    /// the published layout tokenize, zero-shot captioning and <c>QlipCheckpoint.Load</c> read; its checkpoint id is the run id.
    /// </summary>
    public static BlobPath PublishedWeights(string runId) => BlobLayout.Checkpoint(runId, QlipCheckpoint.WeightsFile);

    public async Task HandleAsync(TrainRunRequest message, QueueMessageContext context, CancellationToken ct)
    {
        var settings = options.Value;
        var (kind, spec) = Validate(message, settings);
        await using var lease = await RunLease.AcquireAsync(clients.Blob(LeaseBlob(message.RunId)), message.RunId, settings.LeaseDuration, logger, ct);
        var checkpoints = new BlobCheckpointStore(clients, message.RunId);
        if (message.Resume == ResumePolicy.FailIfExists && await checkpoints.LatestAsync(ct) is { } existing && context.DequeueCount == 1)
            throw new PermanentMessageException($"run {message.RunId} already has checkpoint step {existing} and resume is fail-if-exists");
        var data = await BlobShardStore.OpenAsync(clients, message.ManifestUris[0], ct);
        await RecordAsync(spec, RunStatus.Running, null, null, ct);
        Started(logger, message.RunId, message.Kind, message.Preset, settings.HostId, context.DequeueCount);

        using var cancelled = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost, cancelled.Token);
        var poll = PollCancelMarkerAsync(message.RunId, cancelled, stop.Token);
        var environment = new RunEnvironment(data, checkpoints, new BlobMetricsSink(clients, message.RunId), new BlobRunArtifacts(clients, message.RunId))
        {
            RunCheckpoints = run => new BlobCheckpointStore(clients, run),  // stage 2's init_run: another run's newest complete checkpoint
        };
        RunOutcome outcome;
        try
        {
            outcome = await kind.RunAsync(spec, environment, stop.Token);
        }
        catch (NonFiniteLossException e)
        {
            // Deterministic: a retry would resume the same checkpoint and diverge again, so the message is not retried.
            await RecordAsync(spec, RunStatus.Failed, e.LastCheckpointStep, e.Message, CancellationToken.None);
            throw new PermanentMessageException($"run {message.RunId} stopped: {e.Message}", e);
        }
        finally
        {
            await stop.CancelAsync();
            await poll;
        }
        var last = await checkpoints.LatestAsync(CancellationToken.None);
        if (outcome.Cancelled && cancelled.IsCancellationRequested)
        {
            await RecordAsync(spec, RunStatus.Cancelled, last, "cancelled by its cancel marker", CancellationToken.None);
            return;  // done with this message: a cancelled run is not retried
        }
        if (outcome.Cancelled)
        {
            await RecordAsync(spec, RunStatus.Interrupted, last, "host stopping or lease lost; resumes from the last checkpoint", CancellationToken.None);
            throw new OperationCanceledException($"run {message.RunId} interrupted at step {outcome.State.Step}", ct);
        }
        await RecordAsync(spec, RunStatus.Completed, last, JsonSerializer.Serialize(outcome.Evaluation.Where(e => double.IsFinite(e.Value))
            .ToDictionary(e => e.Key, e => e.Value)), CancellationToken.None);
        // Only stage 1 trains a whole QLIP (stage 2 drops the text tower): its weights are a checkpoint anyone can load.
        if (message.Kind == QlipStage1RunKind.KindName)
            await EnqueueTokenizeAsync(data, await PublishAsync(spec, checkpoints, last!.Value, CancellationToken.None), CancellationToken.None);
        Completed(logger, message.RunId, outcome.State.Step, last);
    }

    // The step checkpoint holds the model's state dict under the reference names; config.json (the preset's architecture)
    // is written after the weights, so a reader that finds it finds both.
    private async Task<Uri> PublishAsync(RunSpec spec, BlobCheckpointStore checkpoints, long step, CancellationToken ct)
    {
        var weights = clients.Blob(PublishedWeights(spec.RunId));
        var state = await checkpoints.Blob(step, TrainingCheckpoint.ModelFile).DownloadContentAsync(ct);
        await weights.UploadAsync(state.Value.Content, overwrite: true, ct);
        await clients.Blob(BlobLayout.Checkpoint(spec.RunId, QlipCheckpoint.ConfigFile))
            .UploadAsync(BinaryData.FromString(QlipPresets.Load(spec.Preset).ToJson()), overwrite: true, ct);
        return weights.Uri;
    }

    /// <summary>The run kind and spec of <paramref name="message"/>; a malformed spec is a permanent failure (poison at once, with the reason).</summary>
    private (ITrainingRunKind Kind, RunSpec Spec) Validate(TrainRunRequest message, TrainerHostOptions settings)
    {
        try
        {
            var kind = kinds.Get(message.Kind);
            var spec = new RunSpec(message.RunId, message.Kind, message.Preset)
            {
                MaxSteps = message.Budget.Steps ?? PlannedSteps(message.Budget.Minutes!.Value, settings),
                MaxDuration = message.Budget.Minutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
                Seed = message.Seed,
                Deterministic = message.Deterministic,
                Device = settings.Device,
                Hyperparameters = message.Hyperparameters.ToDictionary(h => h.Key,
                    h => h.Value.ValueKind == JsonValueKind.String ? h.Value.GetString()! : h.Value.GetRawText(), StringComparer.Ordinal),
            };
            kind.Validate(spec);
            if (message.ManifestUris.Count != 1)
                throw new ArgumentException($"exactly one manifest is supported, got {message.ManifestUris.Count}");
            return (kind, spec);
        }
        catch (ArgumentException e)
        {
            throw new PermanentMessageException($"run {message.RunId}: invalid run spec: {e.Message}", e);
        }
    }

    /// <summary>
    /// The schedule length of a run with only a time budget: its minutes × <see cref="TrainerHostOptions.StepsPerMinute"/>
    /// (the host's measured pace), at least 1. The time budget still ends the run (checkpoint, evaluation, report) if
    /// the host turns out slower; a faster host finishes the schedule early.
    /// </summary>
    public static long PlannedSteps(double minutes, TrainerHostOptions settings) =>
        Math.Max(1, (long)Math.Floor(minutes * settings.StepsPerMinute));

    private async Task EnqueueTokenizeAsync(BlobShardStore data, Uri checkpoint, CancellationToken ct)
    {
        var dataset = data.Folder;
        if (dataset.Length == 0 || dataset.Contains('/')) return;  // not a shards/{dataset}/ manifest: nothing to tokenize by name
        var queue = clients.Queue(StorageNames.Queues.Tokenize);
        foreach (var shard in data.Shards)
        {
            var request = new TokenizeRequest { Dataset = dataset, ShardId = Path.GetFileNameWithoutExtension(shard.Name), CheckpointUri = checkpoint };
            await queue.SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64), ct);
        }
    }

    private async Task PollCancelMarkerAsync(string runId, CancellationTokenSource cancel, CancellationToken stop)
    {
        var marker = clients.Blob(CancelMarker(runId));
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if ((await marker.ExistsAsync(stop)).Value)
                {
                    await cancel.CancelAsync();
                    return;
                }
                await Task.Delay(options.Value.CancelPollInterval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private Task RecordAsync(RunSpec spec, string status, long? lastCheckpoint, string? summary, CancellationToken ct) =>
        clients.Table(StorageNames.Tables.Runs).UpsertEntityAsync(new RunEntity
        {
            PartitionKey = spec.Kind,
            RowKey = spec.RunId,
            Status = status,
            LeaseHolder = options.Value.HostId,
            Step = lastCheckpoint ?? 0,
            MaxSteps = spec.MaxSteps,
            LastCheckpoint = lastCheckpoint,
            Summary = summary,
            UpdatedAt = DateTimeOffset.UtcNow,
        }, cancellationToken: ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training run {RunId} ({Kind}, preset {Preset}) on {HostId}, delivery {DequeueCount}")]
    private static partial void Started(ILogger logger, string runId, string kind, string preset, string hostId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} completed at step {Step}; checkpoint step {Checkpoint}")]
    private static partial void Completed(ILogger logger, string runId, long step, long? checkpoint);
}
