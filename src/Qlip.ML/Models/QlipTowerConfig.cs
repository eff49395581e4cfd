using System.Text.Json.Serialization;

namespace Qlip.ML.Models;

/// <summary>
/// Transformer settings shared by the vision encoder, the pixel decoder and the text encoder (the fields of the
/// reference <c>CLIPVisionConfig</c>-style records). Keys stay snake_case through <c>JsonPropertyName</c>.
/// </summary>
public abstract record QlipTowerConfig
{
    /// <summary>Model width D.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }

    /// <summary>MLP hidden width (SwiGLU: int(D·2.6667), the EVA-02 rule).</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }

    /// <summary>Number of transformer blocks.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }

    /// <summary>Number of attention heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }

    /// <summary>LayerNorm ε (EVA-02 vision 1e-6, CLIP text 1e-5).</summary>
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>Activation of the non-SwiGLU MLP: <c>gelu</c> (erf) or <c>quick_gelu</c> (x·σ(1.702x)).</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";

    /// <summary>Whether q_proj has a bias.</summary>
    [JsonPropertyName("q_bias")] public bool QBias { get; init; } = true;

    /// <summary>Whether k_proj has a bias (EVA-02 has none).</summary>
    [JsonPropertyName("k_bias")] public bool KBias { get; init; } = true;

    /// <summary>Whether v_proj has a bias.</summary>
    [JsonPropertyName("v_bias")] public bool VBias { get; init; } = true;

    /// <summary>SwiGLU MLP <c>w3(silu(w1 x)·w2 x)</c> instead of <c>fc2(act(fc1 x))</c>.</summary>
    [JsonPropertyName("swiglu")] public bool SwiGlu { get; init; }

    /// <summary>Sub-LN: LayerNorm on the concatenated heads before out_proj and inside the MLP before its last layer.</summary>
    [JsonPropertyName("subln")] public bool SubLn { get; init; }

    /// <summary>2-D rotary position embedding on patch tokens.</summary>
    [JsonPropertyName("rope")] public bool Rope { get; init; }

    /// <summary>Width of one attention head.</summary>
    [JsonIgnore] public int HeadDim => NumAttentionHeads > 0 ? HiddenSize / NumAttentionHeads : 0;

    /// <summary>Problems with the transformer fields, each naming its field under <paramref name="path"/>.</summary>
    public virtual IEnumerable<string> Problems(string path)
    {
        if (HiddenSize < 1) yield return $"{path}.hidden_size ({HiddenSize}) must be ≥ 1";
        if (IntermediateSize < 1) yield return $"{path}.intermediate_size ({IntermediateSize}) must be ≥ 1";
        if (NumHiddenLayers < 1) yield return $"{path}.num_hidden_layers ({NumHiddenLayers}) must be ≥ 1";
        if (NumAttentionHeads < 1 || HiddenSize % NumAttentionHeads != 0)
            yield return $"{path}.num_attention_heads ({NumAttentionHeads}) must divide hidden_size ({HiddenSize})";
        else if (Rope && HeadDim % 4 != 0)
            yield return $"{path}.rope needs a head dim divisible by 4 (hidden_size/num_attention_heads = {HeadDim})";
        if (!(LayerNormEps > 0)) yield return $"{path}.layer_norm_eps ({LayerNormEps}) must be > 0";
        if (HiddenAct is not ("gelu" or "quick_gelu"))
            yield return $"{path}.hidden_act ('{HiddenAct}') must be 'gelu' or 'quick_gelu'";
    }
}
