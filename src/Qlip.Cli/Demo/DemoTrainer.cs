using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Qlip.Cli.Commands;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.TrainerHost.Storage;
using Spectre.Console;

namespace Qlip.Cli.Demo;

/// <summary>
/// Runs a <see cref="DemoRunSpec"/> through the <c>train-runs</c> queue (the in-process TrainerHost trains it) and shows its
/// progress from the metrics it appends to <c>runs/{id}/metrics.jsonl</c>. A run whose status row already says completed
/// is reused. Then copies the run's report figures next to the demo report.
/// </summary>
internal sealed class DemoTrainer(StorageClients clients, string outputDirectory)
{
    public async Task<DemoRunResult> RunAsync(DemoRunSpec spec, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reused = await StatusAsync(spec, ct) is { Status: RunStatus.Completed } && await ReportExistsAsync(spec.RunId, ct);
        if (reused)
            AnsiConsole.MarkupLine($"[green]✓[/] {spec.Kind} run {spec.RunId} already completed: reusing it");
        else
        {
            var submitted = DateTimeOffset.UtcNow;
            var metrics = new MetricsTail(clients.Blob(BlobLayout.RunMetrics(spec.RunId)));
            await metrics.SkipExistingAsync(ct);
            await clients.Queue(StorageNames.Queues.TrainRuns).SendMessageAsync(QueueMessageCodec.Encode(spec.ToRequest(clients), QueueBodyEncoding.Base64), ct);
            AnsiConsole.MarkupLine($"[grey]queued {spec.Kind} run {spec.RunId} ({spec.Preset}, {spec.Steps:N0} steps on {spec.Dataset}) on train-runs[/]");
            // A terminal gets the live table of `qlip train run`; redirected output (CI) one line per logged step.
            if (Console.IsOutputRedirected) await WatchAsync(spec, metrics, new ProgressLines(spec.Steps), submitted, ct);
            else
            {
                var view = new TrainProgressView(spec.Steps);
                await view.ShowWhileAsync(WatchAsync(spec, metrics, view, submitted, ct));
            }
            AnsiConsole.MarkupLine($"[green]✓[/] {spec.Kind} run {spec.RunId} completed in {clock.Elapsed:mm\\:ss}");
        }
        var json = (await clients.Blob(BlobLayout.Run(spec.RunId, RunReport.JsonFile)).DownloadContentAsync(ct)).Value.Content.ToString();
        var report = RunReportData.Parse(json, $"runs/{spec.RunId}/{RunReport.JsonFile}");
        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var plot in report.Plots)
        {
            var local = Path.Combine("figures", spec.Stage, Path.GetFileName(plot));
            Directory.CreateDirectory(Path.Combine(outputDirectory, "figures", spec.Stage));
            await clients.Blobs.GetBlobContainerClient(StorageNames.Containers.Runs).GetBlobClient($"{spec.RunId}/{plot}")
                .DownloadToAsync(Path.Combine(outputDirectory, local), ct);
            figures[Path.GetFileName(plot)] = local.Replace('\\', '/');
        }
        return new DemoRunResult(spec, reused, reused ? TimeSpan.Zero : clock.Elapsed, report, figures);
    }

    private async Task<bool> WatchAsync(DemoRunSpec spec, MetricsTail metrics, IMetricsSink view, DateTimeOffset submitted, CancellationToken ct)
    {
        while (true)
        {
            foreach (var row in await metrics.ReadNewAsync(ct)) view.Write(row);
            // Rows and poison messages from an earlier attempt at this run id say nothing about this one.
            var status = await StatusAsync(spec, ct);
            if (status is not null && status.UpdatedAt >= submitted)
            {
                switch (status.Status)
                {
                    case RunStatus.Completed:
                        foreach (var row in await metrics.ReadNewAsync(ct)) view.Write(row);
                        return true;
                    case RunStatus.Failed or RunStatus.Cancelled:
                        throw new CommandException($"{spec.Kind} run {spec.RunId} {status.Status}: {status.Summary}");
                }
            }
            if (await PoisonedAsync(spec.RunId, submitted, ct) is { } reason)
                throw new CommandException($"{spec.Kind} run {spec.RunId} ended in {StorageNames.Queues.PoisonOf(StorageNames.Queues.TrainRuns)}: {reason}");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private async Task<RunEntity?> StatusAsync(DemoRunSpec spec, CancellationToken ct) =>
        await clients.Table(StorageNames.Tables.Runs).GetEntityIfExistsAsync<RunEntity>(spec.Kind, spec.RunId, cancellationToken: ct) is { HasValue: true } row
            ? row.Value
            : null;

    private async Task<bool> ReportExistsAsync(string runId, CancellationToken ct) =>
        (await clients.Blob(BlobLayout.Run(runId, RunReport.JsonFile)).ExistsAsync(ct)).Value;

    private async Task<string?> PoisonedAsync(string runId, DateTimeOffset since, CancellationToken ct)
    {
        var peeked = await clients.Queue(StorageNames.Queues.PoisonOf(StorageNames.Queues.TrainRuns)).PeekMessagesAsync(32, ct);
        foreach (var message in peeked.Value)
        {
            var decoded = QueueMessageCodec.Decode<PoisonMessage>(message.Body.ToString());
            if (!decoded.Ok || decoded.Message!.PoisonedAt < since) continue;
            var body = decoded.Message.Body;
            try { body = Encoding.UTF8.GetString(Convert.FromBase64String(body)); }
            catch (FormatException) { }  // a plain-JSON body
            if (body.Contains($"\"{runId}\"", StringComparison.Ordinal)) return decoded.Message.Reason;
        }
        return null;
    }
}
