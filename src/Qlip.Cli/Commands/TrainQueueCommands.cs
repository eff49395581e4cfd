using System.CommandLine;
using System.Text.Json;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.TrainerHost;
using Qlip.TrainerHost.Storage;

namespace Qlip.Cli.Commands;

/// <summary>`qlip train submit | status | watch | cancel`: run messages for trainer hosts, their status rows and cancel markers.</summary>
internal static class TrainQueueCommands
{
    public static IEnumerable<Command> Create()
    {
        var runId = new Option<string>("--run") { Description = "Run id (a-z, 0-9, '-', '_')", Required = true };
        var kind = new Option<string>("--kind") { Description = "Run kind", DefaultValueFactory = _ => TrainRunKinds.QlipStage1 };
        var preset = new Option<string>("--preset") { Description = "Model preset", DefaultValueFactory = _ => "small" };
        var dataset = new Option<string>("--dataset") { Description = "Data set under shards/ (its sizes.json is the manifest)", Required = true };
        var steps = new Option<long?>("--steps") { Description = "Optimizer steps" };
        var minutes = new Option<double?>("--minutes") { Description = "Wall-clock budget" };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 0 };
        var deterministic = new Option<bool>("--deterministic");
        var set = new Option<string[]>("--set") { Description = "Hyperparameter override name=value (repeatable)" };

        var submit = new Command("submit", "Queue a training run for a trainer host (train-runs).") { runId, kind, preset, dataset, steps, minutes, seed, deterministic, set };
        submit.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var clients = await CliStorage.ConnectAsync(ct);
            var request = new TrainRunRequest
            {
                RunId = parse.GetValue(runId)!, Kind = parse.GetValue(kind)!, Preset = parse.GetValue(preset)!,
                ManifestUris = [clients.Blob(BlobLayout.Sizes(parse.GetValue(dataset)!)).Uri],
                Budget = new TrainBudget { Steps = parse.GetValue(steps), Minutes = parse.GetValue(minutes) },
                Seed = parse.GetValue(seed), Deterministic = parse.GetValue(deterministic),
                Hyperparameters = TrainCommand.ParseSettings(parse.GetValue(set) ?? [])
                    .ToDictionary(s => s.Key, s => JsonSerializer.SerializeToElement(s.Value)),
            };
            if (request.Validate() is { } problem) throw new CommandException(problem);
            await clients.Queue(StorageNames.Queues.TrainRuns).SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64), ct);
            Console.WriteLine($"queued run {request.RunId} ({request.Kind}, preset {request.Preset})");
            return 0;
        }));

        var status = new Command("status", "Show a run's status row.") { runId };
        status.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var clients = await CliStorage.ConnectAsync(ct);
            var id = parse.GetValue(runId)!;
            var rows = clients.Table(StorageNames.Tables.Runs).QueryAsync<RunEntity>(e => e.RowKey == id, cancellationToken: ct);
            var found = false;
            await foreach (var row in rows)
            {
                found = true;
                Console.WriteLine($"{row.RowKey} ({row.PartitionKey}): {row.Status} on {row.LeaseHolder}, last checkpoint {row.LastCheckpoint?.ToString() ?? "none"}, " +
                    $"updated {row.UpdatedAt:u}{(row.Summary is { } s ? $"\n  {s}" : "")}");
            }
            if (!found) throw new CommandException($"no status row for run '{id}' (not started yet, or a different storage)");
            return 0;
        }));

        var interval = new Option<double>("--interval") { Description = "Seconds between polls", DefaultValueFactory = _ => 2 };
        var watch = new Command("watch", "Follow a queued or running run live (step, loss terms, images/s, ETA) until it completes, fails or is cancelled.")
        {
            runId, interval,
        };
        watch.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var clients = await CliStorage.ConnectAsync(ct);
            return await new TrainWatch(clients, parse.GetValue(runId)!, TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(interval)))).RunAsync(ct);
        }));

        var cancel = new Command("cancel", "Ask the host training a run to checkpoint and stop (writes runs/{id}/cancel).") { runId };
        cancel.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var clients = await CliStorage.ConnectAsync(ct);
            await clients.Blob(TrainRunHandler.CancelMarker(parse.GetValue(runId)!)).UploadAsync(BinaryData.FromString("cancel"), overwrite: true, ct);
            Console.WriteLine($"cancel requested for {parse.GetValue(runId)}; the host stops within its poll interval");
            return 0;
        }));
        return [submit, status, watch, cancel];
    }
}
