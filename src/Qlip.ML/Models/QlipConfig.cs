using System.Text.Json;
using System.Text.Json.Serialization;
using Qlip.ML.Quantization;

namespace Qlip.ML.Models;

/// <summary>
/// The whole QLIP architecture (spec §1-5), in the reference's Hugging Face <c>config.json</c> layout, so an
/// official config loads and ours is readable by the reference code. Defaults are the <c>small</c> preset.
/// </summary>
public sealed record QlipConfig
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Vision encoder, bottleneck and quantizer.</summary>
    [JsonPropertyName("vision_config")]
    public QlipVisionConfig Vision { get; init; } = new()
    {
        ImageSize = 32, PatchSize = 4, HiddenSize = 192, IntermediateSize = 512, NumHiddenLayers = 4,
        NumAttentionHeads = 3, LayerNormEps = 1e-6, KBias = false, SwiGlu = true, SubLn = true, Rope = true,
        HiddenSizePostQ = 192, QuantizerCfg = new BsqConfig { Beta = 0.25 },
    };

    /// <summary>Text encoder.</summary>
    [JsonPropertyName("text_config")]
    public QlipTextConfig Text { get; init; } = new()
    {
        HiddenSize = 128, IntermediateSize = 512, NumHiddenLayers = 4, NumAttentionHeads = 2, MaxPositionEmbeddings = 32,
    };

    /// <summary>Pixel decoder.</summary>
    [JsonPropertyName("decoder_config")]
    public QlipDecoderConfig Decoder { get; init; } = new()
    {
        ImageSize = 32, PatchSize = 4, HiddenSize = 192, IntermediateSize = 512, NumHiddenLayers = 4,
        NumAttentionHeads = 3, LayerNormEps = 1e-6, KBias = false, SwiGlu = true, SubLn = true, Rope = true,
    };

    /// <summary>Width of the shared image-text embedding space.</summary>
    [JsonPropertyName("projection_dim")] public int ProjectionDim { get; init; } = 128;

    /// <summary>Initial logit scale (log of the inverse temperature), ln(1/0.07).</summary>
    [JsonPropertyName("logit_scale_init_value")] public double LogitScaleInitValue { get; init; } = 2.6592;

    /// <summary>Whether visual_projection has a bias (EVA's visual head does).</summary>
    [JsonPropertyName("vision_projection_bias")] public bool VisionProjectionBias { get; init; } = true;

    /// <summary>Whether text_projection has a bias (open_clip's does not).</summary>
    [JsonPropertyName("text_projection_bias")] public bool TextProjectionBias { get; init; }

    /// <summary>Throws when any field is invalid; the message names every bad field by its JSON path.</summary>
    /// <exception cref="ArgumentException">One line per problem.</exception>
    public QlipConfig Validate()
    {
        var problems = new List<string>();
        problems.AddRange(Vision.Problems("vision_config"));
        problems.AddRange(Decoder.Problems("decoder_config"));
        problems.AddRange(Text.Problems("text_config"));
        if (ProjectionDim < 1) problems.Add($"projection_dim ({ProjectionDim}) must be ≥ 1");
        if (Decoder.HiddenSize != Vision.HiddenSizePostQ)
            problems.Add($"decoder_config.hidden_size ({Decoder.HiddenSize}) must equal vision_config.hidden_size_post_q ({Vision.HiddenSizePostQ})");
        if (Decoder.ImageSize != Vision.ImageSize)
            problems.Add($"decoder_config.image_size ({Decoder.ImageSize}) must equal vision_config.image_size ({Vision.ImageSize})");
        if (Decoder.PatchSize != Vision.PatchSize)
            problems.Add($"decoder_config.patch_size ({Decoder.PatchSize}) must equal vision_config.patch_size ({Vision.PatchSize})");
        return problems.Count == 0 ? this : throw new ArgumentException("invalid QLIP config: " + string.Join("; ", problems));
    }

    /// <summary>Parses a config in the reference layout (unknown keys are ignored) and validates it.</summary>
    /// <exception cref="ArgumentException">The JSON is not an object of this shape, or a field is invalid.</exception>
    public static QlipConfig FromJson(string json, string source = "config.json")
    {
        try
        {
            return (JsonSerializer.Deserialize<QlipConfig>(json, JsonOptions)
                ?? throw new ArgumentException($"{source}: the config is null")).Validate();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{source}: {e.Message}", e);
        }
        catch (ArgumentException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Reads and validates a <c>config.json</c>.</summary>
    public static QlipConfig Load(string path) => FromJson(File.ReadAllText(path), path);

    /// <summary>The config as indented JSON in the reference layout.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());
}
