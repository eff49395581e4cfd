using System.Text.Json.Serialization;

namespace Qlip.ML.Models;

/// <summary>Pixel decoder settings (<c>decoder_config</c> in the reference layout); it mirrors the encoder.</summary>
public sealed record QlipDecoderConfig : QlipTowerConfig
{
    /// <summary>Output resolution (square); must equal the encoder's.</summary>
    [JsonPropertyName("image_size")] public int ImageSize { get; init; }

    /// <summary>Patch size p of the unpatchify; must equal the encoder's.</summary>
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; }

    /// <summary>Output channels.</summary>
    [JsonPropertyName("num_channels")] public int NumChannels { get; init; } = 3;

    /// <summary>Patches per side.</summary>
    [JsonIgnore] public int GridSize => PatchSize > 0 ? ImageSize / PatchSize : 0;

    /// <inheritdoc />
    public override IEnumerable<string> Problems(string path)
    {
        foreach (var p in base.Problems(path)) yield return p;
        if (PatchSize < 1 || ImageSize < PatchSize || ImageSize % PatchSize != 0)
            yield return $"{path}.patch_size ({PatchSize}) must divide image_size ({ImageSize})";
    }
}
