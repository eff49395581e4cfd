using System.Diagnostics;
using Azure;
using Qlip.Cli.Commands;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Data.WebDataset;
using Qlip.Shared.Dev;
using Qlip.Shared.Progress;
using Qlip.Shared.Shards;
using Qlip.Shared.Storage;
using Spectre.Console;

namespace Qlip.Cli.Demo;

/// <summary>
/// `qlip demo`: the whole local pipeline on real packaged data and a real Azurite — make shards, drop them into
/// incoming/, let the queue workers ingest them, train QLIP stage 1 through the <c>train-runs</c> queue, tokenize every
/// data set with the new checkpoint and export it, then read back what the workers and the trainer produced. Every step
/// is idempotent, so a second run reuses what exists.
/// </summary>
internal sealed class DemoPipeline(DemoPlan plan, bool verbose)
{
    private const string CaptionWorker = "caption";

    private readonly List<DemoStageResult> _stages = [];
    private readonly List<string> _gaps = [];

    public async Task<DemoSummary> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var machine = MachineDescription();
        var clock = Stopwatch.StartNew();
        var (azurite, _) = await DevStore.Locate().UpAsync(AzuritePorts.Default, ct);
        AnsiConsole.MarkupLine($"[green]✓[/] Azurite pid {azurite.ProcessId} on 127.0.0.1, storage provisioned");
        var clients = await CliStorage.ConnectAsync(ct);

        foreach (var dataset in plan.Datasets)
        {
            // DataMaker writes sizes.json last and the same input always gives the same bytes: a complete folder is reused.
            var sizes = Path.Combine(plan.InputDirectory(dataset), ShardNames.SizesFile);
            if (File.Exists(sizes) && DatasetSizes.Parse(await File.ReadAllBytesAsync(sizes, ct)).Values.Sum() == dataset.Limit)
            {
                AnsiConsole.MarkupLine($"[green]✓[/] {dataset.Name}: {dataset.Limit:N0} samples already made in {Markup.Escape(plan.InputDirectory(dataset))}");
                continue;
            }
            var result = await Timed($"make {dataset.Name}", r => r.Samples, "samples", () => DataMaker.MakeAsync(
                new DataMakeOptions(dataset.Source, dataset.Split, dataset.ShardSize, plan.InputDirectory(dataset))
                {
                    Limit = dataset.Limit,
                    Format = dataset.Format,
                }, DataPaths.Resolve(), ct));
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

        long ingestedBefore = 0;
        foreach (var dataset in plan.Datasets) ingestedBefore += (await CountAsync(clients, dataset.Name, ct)).Samples;
        // Caption requests that ingest queues wait for the captioner, which starts once stage 1 has made its checkpoint.
        await using var workers = await DemoWorkers.StartAsync(clients, verbose, WorkerCatalog.Workers.Keys.Where(w => w != CaptionWorker),
            new Dictionary<string, string?>(), ct);
        var ingestClock = Stopwatch.StartNew();
        await workers.DrainAsync("ingest", [StorageNames.Queues.Ingest], plan.DrainTimeout, ct);
        var counts = new List<DatasetCounts>();
        foreach (var dataset in plan.Datasets)
            counts.Add(await CountAsync(clients, dataset.Name, ct));
        // Shards an earlier demo ingested are not ingested again (a redelivery finds their stats and does nothing).
        if (counts.Sum(c => c.Samples) - ingestedBefore is > 0 and var ingested)
            _stages.Add(new DemoStageResult("ingest", ingested, "samples", ingestClock.Elapsed));

        DemoRunResult? stage1 = null, stage2 = null;
        IReadOnlyList<DatasetTokens> tokens = [];
        if (counts.Single(c => c.Dataset == DemoPlan.TrainDataset) is { Shards: > 0 } train && train.DoneShards == train.Shards)
        {
            var trainer = new DemoTrainer(clients, plan.OutputDirectory);
            stage1 = await trainer.RunAsync(plan.Stage1, ct);
            if (!stage1.Reused)
                _stages.Add(new DemoStageResult("train stage 1", stage1.Report.SamplesSeen, "images", stage1.Elapsed));
            await RecaptionAsync(clients, stage1.Spec.RunId, ct);
            // Stage 2 only refines the decoder; tokens come from stage 1, so a failed stage 2 is reported and the demo goes on.
            try
            {
                stage2 = await trainer.RunAsync(plan.Stage2(stage1.Spec.RunId), ct);
                if (!stage2.Reused)
                    _stages.Add(new DemoStageResult("train stage 2", stage2.Report.SamplesSeen, "images", stage2.Elapsed));
            }
            catch (CommandException e)
            {
                AnsiConsole.MarkupLine($"[yellow]![/] {Markup.Escape(e.Message)}");
                _gaps.Add($"Stage 2 did not complete: {e.Message}");
            }
            tokens = await TokenizeAsync(clients, workers, stage1.Spec.RunId, ct);
        }
        else
            _gaps.Add($"{DemoPlan.TrainDataset} was not fully ingested, so nothing was trained or tokenized.");

        var pending = await workers.LeftoversAsync(ct);
        var progress = await DatasetProgressReader.ReadAsync(clients, null, ct);
        return new DemoSummary(plan, _stages, counts, pending)
        {
            Captioned = progress.ToDictionary(p => p.Dataset, p => p.Captioned),
            StartedAt = started, Machine = machine, Elapsed = clock.Elapsed, Stage1 = stage1, Stage2 = stage2, Tokens = tokens, Gaps = _gaps,
        };
    }

    /// <summary>
    /// The captioner (queue <c>caption</c>) with the stage-1 checkpoint as its zero-shot model: it consumes the requests ingest
    /// queued for samples without a caption (an earlier demo's captions are kept: the handler skips captioned samples).
    /// </summary>
    private async Task RecaptionAsync(StorageClients clients, string runId, CancellationToken ct)
    {
        var before = await CaptionedAsync(clients, ct);
        var clock = Stopwatch.StartNew();
        await using (var captioner = await DemoWorkers.StartAsync(clients, verbose, [CaptionWorker],
                         new Dictionary<string, string?> { ["Captioning:Checkpoint"] = $"run:{runId}" }, ct))
            await captioner.DrainAsync($"recaption with run:{runId}", plan.DrainTimeout, ct);
        if (await CaptionedAsync(clients, ct) - before is > 0 and var captioned)
            _stages.Add(new DemoStageResult("recaption (zero-shot)", captioned, "samples", clock.Elapsed));
    }

    private static async Task<long> CaptionedAsync(StorageClients clients, CancellationToken ct) =>
        (await DatasetProgressReader.ReadAsync(clients, DemoPlan.CaptionDataset, ct)).Sum(p => p.Captioned);

    private async Task<IReadOnlyList<DatasetTokens>> TokenizeAsync(StorageClients clients, DemoWorkers workers, string runId, CancellationToken ct)
    {
        var tokenizer = new DemoTokenizer(clients, plan.OutputDirectory);
        var names = plan.Datasets.Select(d => d.Name).ToList();
        var before = await tokenizer.RowsAsync(names, runId, ct);
        var clock = Stopwatch.StartNew();
        var queued = await tokenizer.QueueAsync(names, runId, ct);
        AnsiConsole.MarkupLine($"[grey]queued {queued:N0} samples for tokenization with checkpoint {runId}[/]");
        await workers.DrainAsync("tokenize", [StorageNames.Queues.Tokenize], plan.DrainTimeout, ct);
        var rows = await tokenizer.RowsAsync(names, runId, ct) - before;
        if (rows > 0) _stages.Add(new DemoStageResult("tokenize", rows, "images", clock.Elapsed));
        var exported = await Timed("export parquet", r => r.Sum(t => t.Rows), "rows", () => tokenizer.ExportAsync(names, runId, ct));
        AnsiConsole.MarkupLine($"[green]✓[/] tokens exported to {Path.Combine(plan.OutputDirectory, "tokens")}/ ({exported.Sum(t => t.Rows):N0} rows)");
        return exported;
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

    // The report says how busy the machine was: every timing in it depends on that.
    private static string MachineDescription()
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{Environment.ProcessorCount} CPU cores, load average {load} at the start";
    }

    private async Task<T> Timed<T>(string stage, Func<T, long> items, string unit, Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        var result = await work();
        _stages.Add(new DemoStageResult(stage, items(result), unit, clock.Elapsed));
        return result;
    }
}
