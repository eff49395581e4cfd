using System.Globalization;
using System.Text;
using Azure;
using Qlip.ML.Training.Metrics;
using Qlip.Shared.Storage;
using Qlip.TrainerHost.Storage;

namespace Qlip.Cli.Commands;

/// <summary>
/// <c>qlip train watch --run ID</c>: follows a queued or running run from its <c>runs</c> table row and
/// <c>runs/{id}/metrics.jsonl</c> (step, loss terms, images/s, ETA) until the row says completed, failed or cancelled.
/// A terminal gets the live table of <c>qlip train run</c>; redirected output gets one line per new training row.
/// </summary>
internal sealed class TrainWatch(StorageClients clients, string runId, TimeSpan interval)
{
    private int linesRead;

    /// <summary>Watches until the run is over; 0 when it completed, 1 when it failed or was cancelled.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var row = await WaitForRowAsync(ct);
        TrainProgressView? view = Console.IsOutputRedirected ? null : new TrainProgressView(row.MaxSteps);
        var follow = FollowAsync(row, view, ct);
        row = view is null ? await follow : await view.ShowWhileAsync(follow);
        Console.WriteLine($"run {runId}: {row.Status} at checkpoint step {row.LastCheckpoint?.ToString(CultureInfo.InvariantCulture) ?? "none"}" +
            (row.Summary is { } summary ? $"\n  {summary}" : ""));
        return row.Status == RunStatus.Completed ? 0 : 1;
    }

    private async Task<RunEntity> WaitForRowAsync(CancellationToken ct)
    {
        var said = false;
        while (true)
        {
            if (await ReadRowAsync(ct) is { } row) return row;
            if (!said) Console.WriteLine($"run {runId}: no status row yet (queued, waiting for a trainer host)…");
            said = true;
            await Task.Delay(interval, ct);
        }
    }

    private async Task<RunEntity> FollowAsync(RunEntity row, TrainProgressView? view, CancellationToken ct)
    {
        while (true)
        {
            var final = RunStatus.IsFinal(row.Status);  // read the metrics once more after the final status: nothing is missed
            foreach (var metrics in await ReadNewRowsAsync(ct))
            {
                if (view is not null) view.Write(metrics);
                else if (metrics.Kind == MetricsRow.Train) Console.WriteLine(Line(metrics, row.MaxSteps));
            }
            if (final) return row;
            await Task.Delay(interval, ct);
            row = await ReadRowAsync(ct) ?? row;
        }
    }

    /// <summary>One plain line per training row: step, every loss term, images/s and ETA.</summary>
    public static string Line(MetricsRow row, long maxSteps)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"step {row.Step}/{maxSteps}");
        foreach (var (name, value) in row.Values.Where(v => v.Key.StartsWith("loss", StringComparison.Ordinal)).OrderBy(v => v.Key, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"  {name} {value:G5}");
        if (row.Values.TryGetValue("images_per_s", out var rate)) text.Append(CultureInfo.InvariantCulture, $"  images/s {rate:F1}");
        if (TrainProgressView.Eta(row, row.Step, 0, maxSteps) is { } eta)
            text.Append(CultureInfo.InvariantCulture, $"  ETA {eta:hh\\:mm\\:ss}");
        return text.ToString();
    }

    private async Task<RunEntity?> ReadRowAsync(CancellationToken ct)
    {
        await foreach (var row in clients.Table(StorageNames.Tables.Runs).QueryAsync<RunEntity>(e => e.RowKey == runId, cancellationToken: ct))
            return row;
        return null;
    }

    private async Task<IReadOnlyList<MetricsRow>> ReadNewRowsAsync(CancellationToken ct)
    {
        string text;
        try
        {
            text = (await clients.Blob(BlobLayout.RunMetrics(runId)).DownloadContentAsync(ct)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
        // Only whole lines: the trainer appends one line per block, but a reader may see the blob mid-append.
        var lines = text.Split('\n');
        var complete = lines.Length - 1;
        var fresh = lines.Skip(linesRead).Take(complete - linesRead).Where(l => l.Length > 0).Select(JsonlMetrics.Parse).ToList();
        linesRead = Math.Max(linesRead, complete);
        return fresh;
    }
}
