using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Qlip.ML.Training.Recipes;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage1;

namespace Qlip.Cli.Commands;

/// <summary>
/// `qlip train compare`: the paper's central claim in miniature. Three stage-1 runs with the same preset, data, seed,
/// steps and hyperparameters (the Fashion-MNIST recipe's unless --set overrides them) — reconstruction-only,
/// alignment-only and balanced (calibrated) — then one table of zero-shot top-1, PSNR and SSIM in comparison.md.
/// </summary>
internal static class TrainCompareCommand
{
    /// <summary>The report file the command writes under --out.</summary>
    public const string TableFile = "comparison.md";

    private static readonly string[] WeightSettings = ["calibrate", "probe_steps", "alpha_r", "alpha_a", "alpha_q", "alpha_z"];

    private static readonly Arm[] Arms =
    [
        new("reconstruction-only", new Dictionary<string, string> { ["alpha_a"] = "0" }),
        new("alignment-only", new Dictionary<string, string> { ["alpha_r"] = "0", ["alpha_q"] = "0", ["alpha_z"] = "0" }),
        new("balanced", new Dictionary<string, string> { ["calibrate"] = "true" }),
    ];

    public static Command Create()
    {
        var recipe = FashionMnistRecipe.Default;
        var data = new Option<string>("--data") { Description = "Shard folder (with sizes.json) or the manifest file", Required = true };
        var steps = new Option<long>("--steps") { Description = "Optimizer steps of every run (the balanced run's probes come on top)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = $"Folder of the three run folders and {TableFile}", Required = true };
        var preset = new Option<string>("--preset") { Description = "Model preset", DefaultValueFactory = _ => recipe.Preset };
        var seed = new Option<long>("--seed") { Description = "Seed of every run", DefaultValueFactory = _ => 0 };
        var deterministic = new Option<bool>("--deterministic") { Description = "One intra-op thread (faster on a busy machine)" };
        var set = new Option<string[]>("--set") { Description = "Hyperparameter override name=value for every run (repeatable); probe_steps goes to the balanced run" };

        var compare = new Command("compare", "Reconstruction-only vs alignment-only vs balanced (calibrated) stage 1 with equal budgets; writes a markdown table.")
        {
            data, steps, output, preset, seed, deterministic, set,
        };
        compare.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var folder = parse.GetValue(output)!.FullName;
            var overrides = TrainCommand.ParseSettings(parse.GetValue(set) ?? []);
            if (overrides.Keys.FirstOrDefault(k => WeightSettings.Contains(k) && k != "probe_steps") is { } weight)
                throw new CommandException($"--set {weight}: the loss weights are what the comparison varies");
            var shared = recipe.Hyperparameters.Where(h => !WeightSettings.Contains(h.Key)).Concat(overrides.Where(o => o.Key != "probe_steps"))
                .GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            var results = new List<(Arm Arm, RunOutcome Outcome)>();
            foreach (var arm in Arms)
            {
                var hyperparameters = new Dictionary<string, string>(shared, StringComparer.Ordinal);
                foreach (var (k, v) in arm.Weights) hyperparameters[k] = v;
                if (arm.Weights.ContainsKey("calibrate") && overrides.TryGetValue("probe_steps", out var probe)) hyperparameters["probe_steps"] = probe;
                var spec = new RunSpec(arm.Name, QlipStage1RunKind.KindName, parse.GetValue(preset)!)
                {
                    MaxSteps = parse.GetValue(steps),
                    Seed = parse.GetValue(seed),
                    Deterministic = parse.GetValue(deterministic),
                    Hyperparameters = hyperparameters,
                };
                if (spec.MaxSteps <= 0) throw new CommandException("--steps must be at least 1");
                var outcome = await TrainCommand.RunLocallyAsync(spec, parse.GetValue(data)!, Path.Combine(folder, arm.Name), ct);
                if (outcome.Cancelled) return 1;
                results.Add((arm, outcome));
            }
            var table = Markdown(results, folder, parse.GetValue(preset)!, parse.GetValue(steps));
            await File.WriteAllTextAsync(Path.Combine(folder, TableFile), table, ct);
            Console.WriteLine(table);
            return 0;
        }));
        return compare;
    }

    private static string Markdown(IReadOnlyList<(Arm Arm, RunOutcome Outcome)> results, string folder, string preset, long steps)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Stage 1, preset `{preset}`, {steps:N0} steps each; zero-shot top-1 and PSNR/SSIM on held-out Fashion-MNIST test images:");
        md.AppendLine().AppendLine("| run | loss weights | zero-shot top-1 | PSNR (dB) | SSIM | codebook entropy (bits) |").AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var (arm, outcome) in results)
        {
            var e = outcome.Evaluation;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {arm.Name} | {Weights(Path.Combine(folder, arm.Name))} | {e["zeroshot/top1"] * 100:F1} % | {e["recon/test/psnr"]:F2} | {e["recon/test/ssim"]:F3} | {e["codebook/entropy_bits"]:F2} |");
        }
        var (recon, align, balanced) = (results[0].Outcome.Evaluation, results[1].Outcome.Evaluation, results[2].Outcome.Evaluation);
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"Balanced vs alignment-only zero-shot: {(balanced["zeroshot/top1"] - align["zeroshot/top1"]) * 100:+0.0;-0.0} points (goal: no worse than −2). " +
            $"Balanced vs reconstruction-only PSNR: {balanced["recon/test/psnr"] - recon["recon/test/psnr"]:+0.00;-0.00} dB (goal: no worse than −0.5).");
        return md.ToString();
    }

    // The weights a run trained with, from its report: the calibration's when it has one, else its hyperparameters.
    private static string Weights(string runFolder)
    {
        using var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(runFolder, RunReport.JsonFile)));
        var root = report.RootElement;
        var calibrated = root.TryGetProperty("calibration", out var calibration);
        double Weight(string name) => calibrated
            ? calibration.GetProperty(name).GetDouble()
            : double.Parse(root.GetProperty("hyperparameters").GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(calibrated ? "calibrated: " : "")}α_r = {Weight("alpha_r"):G4}, α_q = {Weight("alpha_q"):G4}, α_z = {Weight("alpha_z"):G4}, α_a = {Weight("alpha_a"):G4}");
    }

    private sealed record Arm(string Name, IReadOnlyDictionary<string, string> Weights);
}
