using System.CommandLine;
using System.Globalization;
using Qlip.ML.Checkpoints;
using Qlip.ML.Configs;
using Qlip.ML.Imaging;
using Qlip.ML.Inference;
using Qlip.ML.Models;
using static TorchSharp.torch;

namespace Qlip.Cli.Commands;

/// <summary>`qlip model info --preset P` (parameters per component) and `qlip model init --preset P --out DIR` (random weights).</summary>
internal static class ModelCommand
{
    public static Command Create() => new("model", "QLIP architectures: parameter counts and randomly initialized checkpoints.")
    {
        Info(),
        Init(),
    };

    private static Option<string> PresetOption() => new("--preset")
    {
        Description = $"Architecture: {string.Join(" | ", QlipPresets.Names)}",
        Required = true,
    };

    private static Command Info()
    {
        var preset = PresetOption();
        var command = new Command("info", "Parameters per component of a preset (built on the meta device: nothing is allocated).") { preset };
        command.SetAction(parse => PipelineArguments.Run(() =>
        {
            var name = parse.GetValue(preset)!;
            var config = QlipPresets.Load(name);
            var previous = get_default_device();
            set_default_device(META);
            try
            {
                using var model = new QlipModel(config);
                Console.WriteLine($"{name}: image {config.Vision.ImageSize}, patch {config.Vision.PatchSize}, " +
                    $"{config.Vision.GridSize}×{config.Vision.GridSize} tokens of {config.Vision.QuantizerCfg.EmbedDim} bits");
                Console.Write(ParameterTable(model.named_parameters().Select(p => (p.name, p.parameter.numel()))));
            }
            finally
            {
                set_default_device(previous);
            }
            return 0;
        }));
        return command;
    }

    private static Command Init()
    {
        var preset = PresetOption();
        var output = new Option<DirectoryInfo>("--out") { Description = "Checkpoint directory to create", Required = true };
        var seed = new Option<long>("--seed") { Description = "Random seed of the initialization", DefaultValueFactory = _ => 0 };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing checkpoint" };
        var command = new Command("init", "Write a randomly initialized checkpoint (config.json + model.safetensors) to try the commands before training.")
        {
            preset, output, seed, force,
        };
        command.SetAction(parse => PipelineArguments.Run(() =>
        {
            var name = parse.GetValue(preset)!;
            var directory = parse.GetValue(output)!.FullName;
            if (File.Exists(Path.Combine(directory, QlipCheckpoint.WeightsFile)) && !parse.GetValue(force))
                throw new ArgumentException($"{directory} already holds a checkpoint; pass --force to overwrite it");
            var config = QlipPresets.Load(name);
            manual_seed(parse.GetValue(seed));
            using var qlip = new QlipPipeline(new QlipModel(config), ImagePreprocessConfig.Clip(config.Vision.ImageSize));
            qlip.Save(directory, new Dictionary<string, string> { ["preset"] = name, ["init"] = "random" });
            Console.WriteLine($"wrote a randomly initialized {name} checkpoint to {directory}");
            return 0;
        }));
        return command;
    }

    // Rows per component (a tower's direct children; a bare parameter or a single Linear is its own row), tower subtotals.
    private static string ParameterTable(IEnumerable<(string Name, long Count)> parameters)
    {
        var rows = parameters
            .Select(p => (Key: ComponentOf(p.Name), p.Count))
            .GroupBy(p => p.Key, (key, g) => (Key: key, Count: g.Sum(p => p.Count)))
            .ToList();
        var total = rows.Sum(r => r.Count);
        var lines = new List<(string Name, long Count)>();
        foreach (var tower in rows.GroupBy(r => r.Key.Split('.')[0]))
        {
            if (tower.Count() > 1) lines.Add((tower.Key, tower.Sum(r => r.Count)));
            lines.AddRange(tower.Select(r => (tower.Count() > 1 ? "  " + r.Key : r.Key, r.Count)));
        }
        lines.Add(("total", total));
        var width = lines.Max(l => l.Name.Length);
        return string.Concat(lines.Select(l => string.Create(CultureInfo.InvariantCulture,
            $"{l.Name.PadRight(width)}  {l.Count,13:N0}  {100.0 * l.Count / total,6:F2} %\n")));
    }

    private static string ComponentOf(string name)
    {
        var parts = name.Split('.');
        return parts.Length >= 3 ? $"{parts[0]}.{parts[1]}" : parts.Length == 2 && parts[1] is "weight" or "bias" ? parts[0] : name;
    }
}
