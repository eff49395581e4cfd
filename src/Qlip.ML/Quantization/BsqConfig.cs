using System.Text.Json.Serialization;

namespace Qlip.ML.Quantization;

/// <summary>
/// Binary spherical quantizer settings, the reference's <c>quantizer_cfg</c> (spec §3). Keys stay snake_case so an
/// official <c>config.json</c> loads as is.
/// </summary>
public sealed record BsqConfig
{
    /// <summary>Number of bits L per token (the code dimension).</summary>
    [JsonPropertyName("embed_dim")] public int EmbedDim { get; init; } = 28;

    /// <summary>Bits per group c for the group-mode entropy and the group ids; must divide L.</summary>
    [JsonPropertyName("group_size")] public int GroupSize { get; init; } = 4;

    /// <summary>Commitment weight β.</summary>
    [JsonPropertyName("beta")] public double Beta { get; init; }

    /// <summary>Weight γ0 of the per-sample entropy.</summary>
    [JsonPropertyName("gamma_0")] public double Gamma0 { get; init; } = 1.0;

    /// <summary>Weight γ1 of the codebook entropy.</summary>
    [JsonPropertyName("gamma_1")] public double Gamma1 { get; init; } = 1.0;

    /// <summary>Inverse temperature τ of the soft assignments; the entropy terms are divided by it.</summary>
    [JsonPropertyName("inv_temperature")] public double InvTemperature { get; init; } = 100.0;

    /// <summary>Per-sample entropy mode: <c>group</c> or <c>analytical</c> (per bit).</summary>
    [JsonPropertyName("persample_entropy_compute")] public string PersampleEntropyCompute { get; init; } = "analytical";

    /// <summary>Whether codes are scaled onto the unit sphere by 1/√L.</summary>
    [JsonPropertyName("l2_norm")] public bool L2Norm { get; init; } = true;

    /// <summary>Soft (differentiable) entropy; the hard histogram mode is not supported (2^L counts).</summary>
    [JsonPropertyName("soft_entropy")] public bool SoftEntropy { get; init; } = true;

    /// <summary>Token layout of the input; only <c>blc</c> (batch, length, channels) is supported.</summary>
    [JsonPropertyName("input_format")] public string InputFormat { get; init; } = "blc";

    /// <summary>Number of groups G = L / c.</summary>
    [JsonIgnore] public int Groups => EmbedDim / GroupSize;

    /// <summary>Problems with the settings, each naming its field under <paramref name="path"/>.</summary>
    public IEnumerable<string> Problems(string path)
    {
        if (EmbedDim is < 1 or > 62) yield return $"{path}.embed_dim ({EmbedDim}) must be in 1..62 (ids are int64)";
        if (GroupSize is < 1 or > 16) yield return $"{path}.group_size ({GroupSize}) must be in 1..16";
        else if (EmbedDim % GroupSize != 0)
            yield return $"{path}.group_size ({GroupSize}) must divide embed_dim ({EmbedDim})";
        if (!(InvTemperature > 0)) yield return $"{path}.inv_temperature ({InvTemperature}) must be > 0";
        if (!(Beta >= 0)) yield return $"{path}.beta ({Beta}) must be ≥ 0";
        if (PersampleEntropyCompute is not ("group" or "analytical"))
            yield return $"{path}.persample_entropy_compute ('{PersampleEntropyCompute}') must be 'group' or 'analytical'";
        if (!SoftEntropy) yield return $"{path}.soft_entropy (false) is not supported: the hard histogram needs 2^L counts";
        if (InputFormat != "blc") yield return $"{path}.input_format ('{InputFormat}') must be 'blc'";
    }
}
