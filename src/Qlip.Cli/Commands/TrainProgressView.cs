using System.Diagnostics;
using System.Globalization;
using Qlip.ML.Training.Metrics;
using Spectre.Console;

namespace Qlip.Cli.Commands;

/// <summary>A live console table of the newest training row: step, loss terms, lr, images/s and ETA, plus the last evaluation.</summary>
internal sealed class TrainProgressView(long maxSteps) : IMetricsSink
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly object gate = new();
    private MetricsRow? train, eval;
    private long firstStep = -1;

    public void Write(MetricsRow row)
    {
        lock (gate)
        {
            if (row.Kind == MetricsRow.Eval) eval = row;
            else
            {
                if (firstStep < 0)
                {
                    firstStep = row.Step;  // ETA from the rate since the first logged step (excludes model build and resume)
                    clock.Restart();
                }
                train = row;
            }
        }
    }

    /// <summary>Shows the table and refreshes it until <paramref name="work"/> ends; returns its result.</summary>
    public async Task<T> ShowWhileAsync<T>(Task<T> work)
    {
        var table = new Table().AddColumns("metric", "value").Border(TableBorder.Rounded);
        await AnsiConsole.Live(table).StartAsync(async context =>
        {
            while (!work.IsCompleted)
            {
                Render(table);
                context.Refresh();
                await Task.WhenAny(work, Task.Delay(500));
            }
            Render(table);
            context.Refresh();
        });
        return await work;
    }

    /// <summary>The time left at the run's own pace (its <c>ms_per_step</c>), else at the pace seen since the first row.</summary>
    public static TimeSpan? Eta(MetricsRow row, long firstStep, double elapsedSeconds, long maxSteps)
    {
        var left = Math.Max(0, maxSteps - row.Step);
        if (row.Values.TryGetValue("ms_per_step", out var ms) && double.IsFinite(ms) && ms > 0) return TimeSpan.FromMilliseconds(ms * left);
        var done = row.Step - firstStep;
        return done > 0 ? TimeSpan.FromSeconds(elapsedSeconds / done * left) : null;
    }

    private void Render(Table table)
    {
        MetricsRow? t, e;
        double elapsed;
        long first;
        lock (gate) (t, e, elapsed, first) = (train, eval, clock.Elapsed.TotalSeconds, firstStep);
        table.Rows.Clear();
        if (t is null)
        {
            table.AddRow("step", "starting (building the model, first batches)…");
            return;
        }
        var eta = Eta(t, first, elapsed, maxSteps);
        table.AddRow("step", $"{t.Step:N0} / {maxSteps:N0} ({100.0 * t.Step / maxSteps:F1} %)");
        table.AddRow("ETA", eta is { } left ? left.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "…");
        foreach (var (name, value) in t.Values.Where(v => v.Key.StartsWith("loss", StringComparison.Ordinal) || v.Key is "images_per_s" or "grad_norm" or "data_wait_frac")
                     .OrderBy(v => v.Key, StringComparer.Ordinal))
            table.AddRow(name, value.ToString("G5", CultureInfo.InvariantCulture));
        if (e is null) return;
        foreach (var (name, value) in e.Values.Where(v => !v.Key.Contains("group", StringComparison.Ordinal)).OrderBy(v => v.Key, StringComparer.Ordinal))
            table.AddRow($"[grey]eval@{e.Step}[/] {Markup.Escape(name)}", value.ToString("G5", CultureInfo.InvariantCulture));
    }
}
