using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qlip.Cli.Commands;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Data.WebDataset;
using Qlip.Shared.Dev;
using Qlip.Shared.Hosting;
using Qlip.Shared.Shards;
using Qlip.Shared.Storage;
using Spectre.Console;

namespace Qlip.Cli.Demo;

/// <summary>
/// `qlip demo`: the whole local pipeline on real packaged data and a real Azurite — make shards, drop them into
/// incoming/, let the queue workers do their work, then read back what they produced. Every step is idempotent,
/// so a second run reuses what exists.
/// </summary>
internal sealed class DemoPipeline(DemoPlan plan, bool verbose)
{
    // The queue each in-process worker drains; the demo waits only for queues that have a worker.
    private static readonly IReadOnlyDictionary<string, string> WorkerQueues = new Dictionary<string, string>
    {
        ["ingest"] = StorageNames.Queues.Ingest,
        ["caption"] = StorageNames.Queues.Caption,
        ["tokenize"] = StorageNames.Queues.Tokenize,
        ["train"] = StorageNames.Queues.TrainRuns,
    };

    private readonly List<DemoStageResult> _stages = [];

    public async Task<DemoSummary> RunAsync(CancellationToken ct)
    {
        var (azurite, _) = await Timed("storage", 1, "emulator", () => DevStore.Locate().UpAsync(AzuritePorts.Default, ct));
        AnsiConsole.MarkupLine($"[green]✓[/] Azurite pid {azurite.ProcessId} on 127.0.0.1, storage provisioned");
        var clients = await CliStorage.ConnectAsync(ct);

        long made = 0;
        foreach (var dataset in plan.Datasets)
        {
            var result = await Timed($"make {dataset.Name}", r => r.Samples, "samples", () => DataMaker.MakeAsync(
                new DataMakeOptions(dataset.Source, dataset.Split, dataset.ShardSize, plan.InputDirectory(dataset))
                {
                    Limit = dataset.Limit,
                    Format = dataset.Format,
                }, DataPaths.Resolve(), ct));
            made += result.Samples;
            AnsiConsole.MarkupLine($"[green]✓[/] {dataset.Name}: {result.Samples:N0} real samples from {dataset.Source} in {result.ShardSizes.Count} shards");
        }

        var uploader = new ShardUploader(clients, TimeProvider.System);
        var uploaded = await Timed("shards add", files => files.Sum(f => f.Bytes), "bytes", async () =>
        {
            var all = new List<UploadedFile>();
            foreach (var dataset in plan.Datasets)
                all.AddRange(await uploader.AddAsync(dataset.Name, [plan.InputDirectory(dataset)], ct));
            return all;
        });
        AnsiConsole.MarkupLine($"[green]✓[/] uploaded {uploaded.Count} files to incoming/, {uploaded.Count(f => f.Queued)} shards queued for ingest");

        var pending = await Timed("queue workers", made, "samples", () => RunWorkersUntilDrainedAsync(clients, ct));

        var counts = new List<DatasetCounts>();
        foreach (var dataset in plan.Datasets)
            counts.Add(await CountAsync(clients, dataset.Name, ct));
        return new DemoSummary(plan, _stages, counts, pending);
    }

    /// <summary>Runs every registered worker in this process until their queues stay empty; returns what is left.</summary>
    private async Task<IReadOnlyDictionary<string, long>> RunWorkersUntilDrainedAsync(StorageClients clients, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddQlipDefaults();
        if (!verbose) builder.Logging.SetMinimumLevel(LogLevel.Warning);
        foreach (var register in WorkerCatalog.Workers.Values) register(builder);
        using var host = builder.Build();
        await host.StartAsync(ct);
        var queues = WorkerCatalog.Workers.Keys.Select(w => WorkerQueues[w]).ToList();
        var deadline = Stopwatch.StartNew();
        IReadOnlyDictionary<string, long> waiting = new Dictionary<string, long>();
        await AnsiConsole.Status().StartAsync("workers running", async context =>
        {
            int quietPolls = 0;
            while (deadline.Elapsed < plan.DrainTimeout && quietPolls < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                waiting = await QueueLengthsAsync(clients, queues, ct);
                quietPolls = waiting.Values.All(n => n == 0) ? quietPolls + 1 : 0;
                context.Status($"workers running ({deadline.Elapsed:mm\\:ss}) — waiting: " +
                               string.Join(", ", waiting.Select(q => $"{q.Key} {q.Value}")));
            }
        });
        await host.StopAsync(CancellationToken.None);
        AnsiConsole.MarkupLine(waiting.Values.All(n => n == 0)
            ? $"[green]✓[/] workers ({string.Join(", ", WorkerCatalog.Workers.Keys)}) drained their queues"
            : $"[yellow]![/] queues not drained after {plan.DrainTimeout}: {string.Join(", ", waiting.Select(q => $"{q.Key} {q.Value}"))}");
        // Queues without an in-process worker (work for hosts this build does not run) are reported, not waited for.
        // Poison queues count too: a message that failed five times is work the pipeline did not do.
        var unattended = StorageNames.Queues.Work.Except(queues).Concat(StorageNames.Queues.Work.Select(StorageNames.Queues.PoisonOf)).ToList();
        var left = await QueueLengthsAsync(clients, unattended, ct);
        return waiting.Concat(left).Where(q => q.Value > 0).ToDictionary();
    }

    private static async Task<IReadOnlyDictionary<string, long>> QueueLengthsAsync(
        StorageClients clients, IEnumerable<string> queues, CancellationToken ct)
    {
        var lengths = new Dictionary<string, long>();
        foreach (var queue in queues)
            lengths[queue] = (await clients.Queue(queue).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        return lengths;
    }

    private static async Task<DatasetCounts> CountAsync(StorageClients clients, string dataset, CancellationToken ct)
    {
        int shards = 0, done = 0;
        long samples = 0, successes = 0, needsCaption = 0;
        var rejected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var table = clients.Table(StorageNames.Tables.Shards);
        await foreach (var row in table.QueryAsync<ShardEntity>(e => e.PartitionKey == dataset, cancellationToken: ct))
        {
            shards++;
            if (row.Status != ShardStatus.Ingested) continue;
            done++;
            samples += row.Samples;
            successes += row.Successes;
            needsCaption += row.NeedsCaption;
            try
            {
                var stats = ShardStats.Parse((await clients.Blob(BlobLayout.ShardStats(dataset, row.ShardId)).DownloadContentAsync(ct)).Value.Content);
                foreach (var (reason, count) in stats.StatusDict.Where(s => s.Key != "success"))
                    rejected[reason] = rejected.GetValueOrDefault(reason) + count;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                rejected["stats_missing"] = rejected.GetValueOrDefault("stats_missing") + 1;
            }
        }
        return new DatasetCounts(dataset, shards, done, samples, successes, needsCaption, rejected);
    }

    private Task<T> Timed<T>(string stage, long items, string unit, Func<Task<T>> work) => Timed(stage, _ => items, unit, work);

    private async Task<T> Timed<T>(string stage, Func<T, long> items, string unit, Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        var result = await work();
        _stages.Add(new DemoStageResult(stage, items(result), unit, clock.Elapsed));
        return result;
    }
}
