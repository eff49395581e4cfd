using System.Text.Json.Serialization;
using Qlip.ML.Quantization;

namespace Qlip.ML.Models;

/// <summary>Vision encoder and bottleneck settings (<c>vision_config</c> in the reference layout).</summary>
public sealed record QlipVisionConfig : QlipTowerConfig
{
    /// <summary>Input resolution (square).</summary>
    [JsonPropertyName("image_size")] public int ImageSize { get; init; }

    /// <summary>Patch size p (conv kernel = stride).</summary>
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; }

    /// <summary>Input channels.</summary>
    [JsonPropertyName("num_channels")] public int NumChannels { get; init; } = 3;

    /// <summary>Quantizer kind; only <c>bsq</c> is supported.</summary>
    [JsonPropertyName("quantizer")] public string Quantizer { get; init; } = "bsq";

    /// <summary>Quantizer settings.</summary>
    [JsonPropertyName("quantizer_cfg")] public BsqConfig QuantizerCfg { get; init; } = new();

    /// <summary>Bottleneck kind; only <c>mlp</c> (Linear D→D, GELU, Linear D→L and back) is supported.</summary>
    [JsonPropertyName("quantizer_embed_type")] public string QuantizerEmbedType { get; init; } = "mlp";

    /// <summary>L2-normalize the bottleneck output before quantizing.</summary>
    [JsonPropertyName("quantizer_l2_norm")] public bool QuantizerL2Norm { get; init; } = true;

    /// <summary>Width D' after the up-projection (the decoder width).</summary>
    [JsonPropertyName("hidden_size_post_q")] public int HiddenSizePostQ { get; init; }

    /// <summary>Patches per side.</summary>
    [JsonIgnore] public int GridSize => PatchSize > 0 ? ImageSize / PatchSize : 0;

    /// <inheritdoc />
    public override IEnumerable<string> Problems(string path)
    {
        foreach (var p in base.Problems(path)) yield return p;
        if (PatchSize < 1 || ImageSize < PatchSize || ImageSize % PatchSize != 0)
            yield return $"{path}.patch_size ({PatchSize}) must divide image_size ({ImageSize})";
        if (NumChannels < 1) yield return $"{path}.num_channels ({NumChannels}) must be ≥ 1";
        if (Quantizer != "bsq") yield return $"{path}.quantizer ('{Quantizer}') must be 'bsq'";
        if (QuantizerEmbedType != "mlp") yield return $"{path}.quantizer_embed_type ('{QuantizerEmbedType}') must be 'mlp'";
        if (HiddenSizePostQ < 1) yield return $"{path}.hidden_size_post_q ({HiddenSizePostQ}) must be ≥ 1";
        foreach (var p in QuantizerCfg.Problems(path + ".quantizer_cfg")) yield return p;
    }
}
