using System.CommandLine;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;

namespace Qlip.Cli.Commands;

/// <summary>`qlip train run`: trains one run locally with a live progress view; metrics, checkpoints, plots and report under --out.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "Run kind: qlip-stage1 | qlip-stage2 (needs --set init_checkpoint=… or init_run=…)", DefaultValueFactory = _ => "qlip-stage1" };
        var preset = new Option<string>("--preset") { Description = "Model preset (tiny, small, QLIP-B-16-256, …)", DefaultValueFactory = _ => "small" };
        var data = new Option<string>("--data") { Description = "Shard folder (with sizes.json) or the manifest file", Required = true };
        var steps = new Option<long>("--steps") { Description = "Optimizer steps", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder: metrics.jsonl, checkpoints/, plots/, report.md/json", Required = true };
        var device = new Option<string>("--device") { Description = "cpu | cuda", DefaultValueFactory = _ => "cpu" };
        var seed = new Option<long>("--seed") { Description = "Seed of torch, data order and shuffle", DefaultValueFactory = _ => 0 };
        var deterministic = new Option<bool>("--deterministic") { Description = "One intra-op thread: a killed and resumed run is bit-identical" };
        var set = new Option<string[]>("--set") { Description = "Hyperparameter override name=value (repeatable), e.g. --set batch_size=32" };
        var precision = new Option<string?>("--precision")
        {
            Description = "fp32 (default) | bf16: forward and backward in bf16 with fp32 master weights (the hyperparameter precision)",
        };
        precision.AcceptOnlyFromAmong("fp32", "bf16");

        var run = new Command("run", "Train locally (resumes from --out/checkpoints when it has any; Ctrl+C checkpoints and stops).")
        {
            kind, preset, data, steps, output, device, seed, deterministic, set, precision,
        };
        run.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var folder = parse.GetValue(output)!.FullName;
            var spec = new RunSpec(Path.GetFileName(folder.TrimEnd('/')), parse.GetValue(kind)!, parse.GetValue(preset)!)
            {
                MaxSteps = parse.GetValue(steps),
                Seed = parse.GetValue(seed),
                Deterministic = parse.GetValue(deterministic),
                Device = parse.GetValue(device)!,
                Hyperparameters = WithPrecision(ParseSettings(parse.GetValue(set) ?? []), parse.GetValue(precision)),
            };
            if (spec.MaxSteps <= 0) throw new CommandException("--steps must be at least 1");
            await RunLocallyAsync(spec, parse.GetValue(data)!, folder, ct);
            return 0;
        }));
        var train = new Command("train", "Training runs.") { run, TrainCompareCommand.Create() };
        foreach (var command in TrainQueueCommands.Create()) train.Subcommands.Add(command);
        return train;
    }

    /// <summary>
    /// Trains <paramref name="spec"/> on the shards at <paramref name="data"/> into <paramref name="folder"/> (resuming what
    /// is there) with the live progress view, and says how it ended.
    /// </summary>
    public static async Task<RunOutcome> RunLocallyAsync(RunSpec spec, string data, string folder, CancellationToken ct)
    {
        var runKind = RunKinds.Create().Get(spec.Kind);
        runKind.Validate(spec);
        Directory.CreateDirectory(folder);
        using var jsonl = JsonlMetricsSink.AppendTo(Path.Combine(folder, "metrics.jsonl"));
        var view = new TrainProgressView(spec.MaxSteps);
        var environment = new RunEnvironment(LocalShardStore.Open(data), new LocalFolderCheckpointStore(Path.Combine(folder, "checkpoints")),
            new CompositeMetricsSink(jsonl, view), new LocalFolderRunArtifacts(folder))
        {
            RunCheckpoints = SiblingRunCheckpoints(folder),
        };
        var outcome = await view.ShowWhileAsync(runKind.RunAsync(spec, environment, ct));
        Console.WriteLine(outcome.Cancelled
            ? $"stopped at step {outcome.State.Step} (checkpointed); run the same command to resume"
            : $"done: {outcome.State.Step} steps; report at {Path.Combine(folder, RunReport.MarkdownFile)}");
        return outcome;
    }

    /// <summary>Another local run by id (stage 2's init_run): the run folder next to <paramref name="folder"/>.</summary>
    private static Func<string, ICheckpointStore> SiblingRunCheckpoints(string folder) => run =>
    {
        var checkpoints = Path.Combine(Path.GetDirectoryName(folder.TrimEnd('/'))!, run, "checkpoints");
        return Directory.Exists(checkpoints)
            ? new LocalFolderCheckpointStore(checkpoints)
            : throw new CommandException($"init_run '{run}': no local run folder with checkpoints at '{checkpoints}'");
    };

    // --precision is the hyperparameter under its own flag; giving it both ways is ambiguous.
    private static IReadOnlyDictionary<string, string> WithPrecision(IReadOnlyDictionary<string, string> settings, string? precision)
    {
        if (precision is null) return settings;
        if (settings.ContainsKey("precision")) throw new CommandException("give the precision as --precision or --set precision=…, not both");
        return new Dictionary<string, string>(settings, StringComparer.Ordinal) { ["precision"] = precision };
    }

    /// <summary>name=value pairs → a dictionary; a pair without '=' or a repeated name is an error.</summary>
    public static IReadOnlyDictionary<string, string> ParseSettings(IEnumerable<string> pairs)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var cut = pair.IndexOf('=');
            if (cut <= 0) throw new CommandException($"--set '{pair}' is not name=value");
            if (!settings.TryAdd(pair[..cut].Trim(), pair[(cut + 1)..].Trim())) throw new CommandException($"--set names '{pair[..cut]}' twice");
        }
        return settings;
    }
}
