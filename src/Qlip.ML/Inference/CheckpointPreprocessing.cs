// Preprocessing travels with the weights (style §1.5): ours is open_clip's "preprocess_cfg" object inside config.json;
// a published checkpoint may instead carry Hugging Face's preprocessor_config.json (CLIPImageProcessor keys).
using System.Text.Json;
using System.Text.Json.Nodes;
using Qlip.ML.Checkpoints;
using Qlip.ML.Imaging;
using Qlip.ML.Models;

namespace Qlip.ML.Inference;

/// <summary>Reads and writes the image preprocessing settings of a checkpoint directory.</summary>
public static class CheckpointPreprocessing
{
    /// <summary>The key of the preprocessing object inside <c>config.json</c> (open_clip's name).</summary>
    public const string ConfigKey = "preprocess_cfg";

    /// <summary>Hugging Face's image-processor file, read when <c>config.json</c> has no <see cref="ConfigKey"/>.</summary>
    public const string HuggingFaceFile = "preprocessor_config.json";

    private const int PilBicubic = 3;

    /// <summary>
    /// The settings of the checkpoint in <paramref name="directory"/>: config.json's <see cref="ConfigKey"/>, else
    /// <see cref="HuggingFaceFile"/>, else CLIP's mean/std at the model's image size. The size must be the model's.
    /// </summary>
    /// <exception cref="InvalidDataException">The settings are invalid or do not fit <paramref name="config"/>; names the file.</exception>
    public static ImagePreprocessConfig Read(string directory, QlipConfig config)
    {
        var configPath = Path.Combine(directory, QlipCheckpoint.ConfigFile);
        var hfPath = Path.Combine(directory, HuggingFaceFile);
        var (preprocess, source) = JsonNode.Parse(File.ReadAllText(configPath))?[ConfigKey] is JsonNode node
            ? (Parse(() => node.Deserialize<ImagePreprocessConfig>(), configPath), configPath)
            : File.Exists(hfPath)
                ? (Parse(() => FromHuggingFace(JsonNode.Parse(File.ReadAllText(hfPath)), hfPath), hfPath), hfPath)
                : (ImagePreprocessConfig.Clip(config.Vision.ImageSize), configPath);
        if (preprocess.Size != config.Vision.ImageSize)
            throw new InvalidDataException(
                $"{source}: preprocessing size {preprocess.Size} differs from the model's image_size {config.Vision.ImageSize}");
        return preprocess;
    }

    /// <summary>Adds <paramref name="preprocess"/> as <see cref="ConfigKey"/> to the config.json in <paramref name="directory"/>.</summary>
    public static void Write(string directory, ImagePreprocessConfig preprocess)
    {
        var path = Path.Combine(directory, QlipCheckpoint.ConfigFile);
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidDataException($"{path}: not a JSON object");
        root[ConfigKey] = JsonSerializer.SerializeToNode(preprocess.Validate());
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static ImagePreprocessConfig Parse(Func<ImagePreprocessConfig?> parse, string path)
    {
        try
        {
            return (parse() ?? throw new InvalidDataException($"{path}: preprocessing settings are null")).Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: invalid preprocessing settings: {e.Message}", e);
        }
    }

    // CLIPImageProcessor: resize the shortest edge, centre-crop crop_size, normalize with image_mean/std.
    private static ImagePreprocessConfig FromHuggingFace(JsonNode? root, string path)
    {
        if (root is null) throw new InvalidDataException($"{path}: empty file");
        var crop = SideOf(root["crop_size"], "height") ?? throw new InvalidDataException($"{path}: crop_size is missing");
        var shortest = SideOf(root["size"], "shortest_edge") ?? crop;
        if (shortest != crop)
            throw new InvalidDataException($"{path}: size.shortest_edge {shortest} ≠ crop_size {crop} is not supported");
        var resample = root["resample"]?.GetValue<int>() ?? PilBicubic;
        if (resample != PilBicubic) throw new InvalidDataException($"{path}: resample {resample} is not bicubic ({PilBicubic})");
        var clip = ImagePreprocessConfig.Clip(crop);
        return clip with
        {
            Mean = root["image_mean"]?.Deserialize<float[]>() ?? clip.Mean,
            Std = root["image_std"]?.Deserialize<float[]>() ?? clip.Std,
        };
    }

    // A side length written either as a number or as an object { key: n } (both occur in published files).
    private static int? SideOf(JsonNode? node, string key) => node switch
    {
        null => null,
        JsonObject o => o[key]?.GetValue<int>(),
        _ => node.GetValue<int>(),
    };
}
