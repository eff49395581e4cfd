using Qlip.ML.Training.Metrics;
using ScottPlot;

namespace Qlip.ML.Reporting;

/// <summary>Loss curves (value against step) of metrics rows as a PNG, one line per series, with ScottPlot.</summary>
public static class LossCurvePlot
{
    /// <summary>
    /// Renders the <paramref name="series"/> of the rows of <paramref name="kind"/>; by default every series whose name
    /// starts with <c>loss</c>. When a step appears twice (a resumed run repeats the steps after its last checkpoint)
    /// the later row is plotted. With <paramref name="logY"/> the axis shows log10 of the values and non-positive
    /// points (e.g. the BSQ entropy term, negative by design) are left out. A series with no points is an error.
    /// </summary>
    public static byte[] RenderPng(IReadOnlyList<MetricsRow> rows, string title, IReadOnlyList<string>? series = null,
        string kind = MetricsRow.Train, bool logY = false, int width = 900, int height = 500)
    {
        // A resumed run repeats the steps after its last checkpoint: the later row of a step wins.
        var selected = rows.Where(r => r.Kind == kind).GroupBy(r => r.Step).Select(g => g.Last()).OrderBy(r => r.Step).ToList();
        series ??= selected.SelectMany(r => r.Values.Keys).Where(k => k.StartsWith("loss", StringComparison.Ordinal)).Distinct().Order().ToList();
        if (series.Count == 0) throw new ArgumentException($"No '{kind}' rows with loss series to plot.", nameof(rows));
        var plot = new Plot();
        PlotFonts.Apply(plot);
        foreach (var name in series)
        {
            var points = selected.Where(r => r.Values.TryGetValue(name, out var v) && double.IsFinite(v) && (!logY || v > 0))
                .Select(r => (X: (double)r.Step, Y: logY ? Math.Log10(r.Values[name]) : r.Values[name]))
                .ToList();
            if (points.Count == 0) throw new ArgumentException($"Series '{name}' has no {(logY ? "positive " : "")}finite '{kind}' values.", nameof(series));
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = name;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(logY ? "log10(value)" : "value");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
