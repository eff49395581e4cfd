using Qlip.ML.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Checkpoints;

/// <summary>
/// QLIP checkpoints in the published layout: a directory with <c>config.json</c> (reference layout) and
/// <c>model.safetensors</c> under the reference parameter names. RoPE tables that the reference stores (once per
/// layer) are recomputed, not loaded.
/// </summary>
public static class QlipCheckpoint
{
    /// <summary>The weights file name inside a checkpoint directory.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The config file name inside a checkpoint directory.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>Writes <paramref name="model"/>'s state dict and config to <paramref name="directory"/>.</summary>
    public static void Save(QlipModel model, string directory, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Directory.CreateDirectory(directory);
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { ["format"] = "pt" };
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFile), model.state_dict(), meta);
        model.Config.Save(Path.Combine(directory, ConfigFile));
    }

    /// <summary>Builds the model described by <paramref name="directory"/>'s config.json and loads its weights strictly.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing, unexpected or has the wrong shape.</exception>
    public static QlipModel Load(string directory, Device? device = null)
    {
        var config = QlipConfig.Load(Path.Combine(directory, ConfigFile));
        var model = new QlipModel(config);
        LoadWeights(model, Path.Combine(directory, WeightsFile), strict: true);
        if (device is not null) model.to(device);
        return model;
    }

    /// <summary>Copies the tensors of a safetensors file at <paramref name="path"/> into <paramref name="model"/>.</summary>
    public static LoadReport LoadWeights(nn.Module model, string path, bool strict = true)
    {
        using var file = SafetensorsReader.Read(path);
        return LoadWeights(model, file, strict);
    }

    /// <summary>
    /// Copies <paramref name="file"/>'s tensors into <paramref name="model"/>'s parameters and persistent buffers by name
    /// (converting dtype, keeping the model's device). With <paramref name="strict"/>, missing or unexpected tensors throw.
    /// </summary>
    /// <exception cref="InvalidDataException">Names the tensor and both shapes on a shape mismatch; lists missing and unexpected names when strict.</exception>
    public static LoadReport LoadWeights(nn.Module model, SafetensorsFile file, bool strict = true)
    {
        var targets = model.state_dict();
        var loaded = new List<string>();
        var unexpected = new List<string>();
        var recomputed = new List<string>();
        foreach (var name in file.Tensors.Keys.Order(StringComparer.Ordinal))
        {
            if (IsDerivedBuffer(name)) recomputed.Add(name);
            else if (!targets.ContainsKey(name)) unexpected.Add(name);
            else loaded.Add(name);
        }
        var missing = targets.Keys.Where(k => !file.Tensors.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
            throw new InvalidDataException($"{file.Source}: weights do not match the model; missing [{string.Join(", ", missing)}], " +
                $"unexpected [{string.Join(", ", unexpected)}]");

        foreach (var name in loaded)
        {
            var (target, source) = (targets[name], file[name]);
            if (!target.shape.SequenceEqual(source.shape))
                throw new InvalidDataException($"{file.Source}: tensor '{name}' has shape [{string.Join(", ", source.shape)}] " +
                    $"in the file but [{string.Join(", ", target.shape)}] in the model");
        }
        using (no_grad())
        {
            foreach (var name in loaded) targets[name].copy_(file[name]);
        }
        return new LoadReport(loaded, missing, unexpected, recomputed);
    }

    // The reference registers its RoPE cos/sin tables as persistent buffers, one copy per layer.
    private static bool IsDerivedBuffer(string name) =>
        name.EndsWith(".rope.freqs_cos", StringComparison.Ordinal) || name.EndsWith(".rope.freqs_sin", StringComparison.Ordinal);
}
