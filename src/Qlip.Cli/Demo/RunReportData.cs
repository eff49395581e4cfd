using System.Globalization;
using System.Text.Json.Nodes;

namespace Qlip.Cli.Demo;

/// <summary>What the demo reads back from a run's <c>report.json</c> (written by the run kind, see <c>RunReport</c>).</summary>
internal sealed record RunReportData(
    string RunId, string Kind, string Preset, long Steps, long SamplesSeen, double DataWaitFraction,
    IReadOnlyDictionary<string, double> Evaluation, IReadOnlyDictionary<string, double> FinalTrain,
    IReadOnlyDictionary<string, string> Hyperparameters, IReadOnlyDictionary<string, string> Notes, IReadOnlyList<string> Plots)
{
    // The summary fields; any other top-level object is a section of numbers the run kind added (e.g. calibration).
    private static readonly HashSet<string> SummaryFields =
        ["runId", "kind", "preset", "steps", "maxSteps", "samplesSeen", "stoppedByTimeBudget", "seed", "deterministic", "dataWaitFraction",
         "evaluation", "finalTrain", "hyperparameters", "notes", "plots"];

    /// <summary>The kind's own groups of numbers by name, e.g. stage 1's <c>calibration</c> (chosen weights, probe plateaus).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Sections { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <exception cref="InvalidDataException">Not a run report (names the field).</exception>
    public static RunReportData Parse(string json, string source)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException($"{source}: not a JSON object");
        JsonNode Field(string name) => root[name] ?? throw new InvalidDataException($"{source}: no '{name}'");
        return new RunReportData(
            Field("runId").GetValue<string>(), Field("kind").GetValue<string>(), Field("preset").GetValue<string>(),
            Field("steps").GetValue<long>(), Field("samplesSeen").GetValue<long>(), Number(Field("dataWaitFraction")),
            Numbers(Field("evaluation")), Numbers(Field("finalTrain")), Strings(Field("hyperparameters")), Strings(Field("notes")),
            Field("plots").AsArray().Select(p => p!.GetValue<string>()).ToList())
        {
            Sections = root.Where(p => !SummaryFields.Contains(p.Key) && p.Value is JsonObject)
                .ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, double>)Numbers(p.Value!), StringComparer.Ordinal),
        };
    }

    /// <summary>A metric of the final evaluation, or null when the run kind does not measure it.</summary>
    public double? Eval(string name) => Evaluation.TryGetValue(name, out var v) ? v : null;

    // report.json writes infinities (PSNR of a perfect reconstruction) as strings.
    private static double Number(JsonNode node) =>
        node.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? double.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture)
            : node.GetValue<double>();

    private static Dictionary<string, double> Numbers(JsonNode node) =>
        node.AsObject().ToDictionary(p => p.Key, p => Number(p.Value!), StringComparer.Ordinal);

    private static Dictionary<string, string> Strings(JsonNode node) =>
        node.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
}
