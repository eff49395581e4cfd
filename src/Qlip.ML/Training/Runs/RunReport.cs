using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qlip.ML.Reporting;
using Qlip.ML.Training.Metrics;

namespace Qlip.ML.Training.Runs;

/// <summary>
/// The end-of-run report: <c>report.json</c> (machine-readable), <c>report.md</c> (for people), the loss-curve plot
/// and the kind's figures under <c>plots/</c>.
/// </summary>
/// <param name="Spec">What was trained.</param>
/// <param name="Outcome">How it ended and the final evaluation.</param>
/// <param name="Rows">This session's metrics rows.</param>
/// <param name="Figures">The kind's figures.</param>
/// <param name="Hyperparameters">Every hyperparameter with the value used.</param>
/// <param name="Notes">Statements about the run (e.g. the perceptual network used).</param>
public sealed record RunReport(RunSpec Spec, RunOutcome Outcome, IReadOnlyList<MetricsRow> Rows, IReadOnlyList<ReportFigure> Figures,
    IReadOnlyDictionary<string, string> Hyperparameters, IReadOnlyDictionary<string, string> Notes)
{
    /// <summary>
    /// Named groups of numbers the kind adds (e.g. stage 1's <c>calibration</c>: chosen weights and probe plateaus):
    /// one top-level object each in report.json, one table each in report.md.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Sections { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>File name of the JSON report.</summary>
    public const string JsonFile = "report.json";

    /// <summary>File name of the Markdown report.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>The loss-curve plot (log scale, unweighted terms).</summary>
    public const string LossCurvesFile = "plots/loss_curves.png";

    /// <summary>Writes the plots, then report.json, then report.md.</summary>
    public static async Task WriteAsync(IRunArtifacts artifacts, RunReport report, CancellationToken ct)
    {
        var plots = new List<(string Name, string Title)>();
        var positive = report.Rows.Where(r => r.Kind == MetricsRow.Train).SelectMany(r => r.Values)
            .Where(v => v.Key.StartsWith("loss", StringComparison.Ordinal) && v.Value > 0 && double.IsFinite(v.Value))
            .Select(v => v.Key).Distinct().Order(StringComparer.Ordinal).ToList();
        if (positive.Count > 0)
        {
            var title = $"{report.Spec.Kind} {report.Spec.RunId}";
            await artifacts.WriteAsync(LossCurvesFile, LossCurvePlot.RenderPng(report.Rows, title, positive, logY: true), ct);
            plots.Add((LossCurvesFile, "Loss terms (log10; non-positive points such as the BSQ entropy term are left out)"));
        }
        foreach (var figure in report.Figures)
        {
            await artifacts.WriteAsync("plots/" + figure.Name, figure.Png, ct);
            plots.Add(("plots/" + figure.Name, figure.Title));
        }
        await artifacts.WriteAsync(JsonFile, Encoding.UTF8.GetBytes(report.ToJson(plots).ToJsonString(new JsonSerializerOptions { WriteIndented = true })), ct);
        await artifacts.WriteAsync(MarkdownFile, Encoding.UTF8.GetBytes(report.ToMarkdown(plots)), ct);
    }

    /// <summary>The last train row's values (final losses, throughput).</summary>
    public IReadOnlyDictionary<string, double> FinalTrain =>
        Rows.LastOrDefault(r => r.Kind == MetricsRow.Train)?.Values ?? new Dictionary<string, double>();

    private JsonObject ToJson(IReadOnlyList<(string Name, string Title)> plots)
    {
        var json = Summary(plots);
        foreach (var (name, values) in Sections) json[name] = Numbers(values);
        return json;
    }

    private JsonObject Summary(IReadOnlyList<(string Name, string Title)> plots) => new()
    {
        ["runId"] = Spec.RunId,
        ["kind"] = Spec.Kind,
        ["preset"] = Spec.Preset,
        ["steps"] = Outcome.State.Step,
        ["maxSteps"] = Spec.MaxSteps,
        ["samplesSeen"] = Outcome.State.SamplesSeen,
        ["stoppedByTimeBudget"] = Outcome.StoppedByTimeBudget,
        ["seed"] = Spec.Seed,
        ["deterministic"] = Spec.Deterministic,
        ["dataWaitFraction"] = Number(Outcome.DataWaitFraction),
        ["evaluation"] = Numbers(Outcome.Evaluation),
        ["finalTrain"] = Numbers(FinalTrain),
        ["hyperparameters"] = new JsonObject(Hyperparameters.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
        ["notes"] = new JsonObject(Notes.Select(n => KeyValuePair.Create(n.Key, (JsonNode?)n.Value))),
        ["plots"] = new JsonArray(plots.Select(p => (JsonNode?)p.Name).ToArray()),
    };

    private string ToMarkdown(IReadOnlyList<(string Name, string Title)> plots)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Run `{Spec.RunId}` — {Spec.Kind}, preset `{Spec.Preset}`");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{Outcome.State.Step:N0} of {Spec.MaxSteps:N0} steps, {Outcome.State.SamplesSeen:N0} samples, seed {Spec.Seed}" +
            $"{(Spec.Deterministic ? ", deterministic" : "")}{(Outcome.StoppedByTimeBudget ? ", stopped by the time budget" : "")}; " +
            $"data wait {Outcome.DataWaitFraction:P1} of step time.");
        foreach (var (key, value) in Notes) md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"- **{key}**: {value}");
        Table(md, "Evaluation", Outcome.Evaluation);
        foreach (var (name, values) in Sections) Table(md, char.ToUpperInvariant(name[0]) + name[1..], values);
        Table(md, "Final training step", FinalTrain);
        md.AppendLine().AppendLine("## Hyperparameters").AppendLine().AppendLine("| name | value |").AppendLine("|---|---|");
        foreach (var (key, value) in Hyperparameters) md.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {value} |");
        if (plots.Count > 0) md.AppendLine().AppendLine("## Plots");
        foreach (var (name, title) in plots) md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{title}").AppendLine().AppendLine(CultureInfo.InvariantCulture, $"![{title}]({name})");
        return md.ToString();
    }

    private static void Table(StringBuilder md, string title, IReadOnlyDictionary<string, double> values)
    {
        if (values.Count == 0) return;
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine().AppendLine("| metric | value |").AppendLine("|---|---|");
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
            md.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {value.ToString("G5", CultureInfo.InvariantCulture)} |");
    }

    private static JsonObject Numbers(IReadOnlyDictionary<string, double> values) =>
        new(values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => KeyValuePair.Create(v.Key, Number(v.Value))));

    // JSON has no infinities (PSNR of a perfect reconstruction): write those as strings.
    private static JsonNode? Number(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
}
