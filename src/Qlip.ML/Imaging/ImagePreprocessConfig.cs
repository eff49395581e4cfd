// How images become model input (open_clip's PreprocessCfg): it travels with the weights in config.json so a
// checkpoint is always fed pixels the way it was trained. Keys are snake_case as in open_clip.
using System.Text.Json.Serialization;

namespace Qlip.ML.Imaging;

/// <summary>Image preprocessing settings: output size, per-channel normalization, interpolation and resize mode.</summary>
public sealed record ImagePreprocessConfig
{
    /// <summary>OpenAI CLIP's per-channel mean (RGB), used by QLIP (spec §1).</summary>
    public static IReadOnlyList<float> ClipMean { get; } = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>OpenAI CLIP's per-channel standard deviation (RGB).</summary>
    public static IReadOnlyList<float> ClipStd { get; } = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>Output side length in pixels (the model's image size).</summary>
    [JsonPropertyName("size")]
    public required int Size { get; init; }

    /// <summary>Per-channel mean subtracted from [0, 1] pixels (R, G, B).</summary>
    [JsonPropertyName("mean")]
    public IReadOnlyList<float> Mean { get; init; } = ClipMean;

    /// <summary>Per-channel standard deviation the centred pixels are divided by (R, G, B).</summary>
    [JsonPropertyName("std")]
    public IReadOnlyList<float> Std { get; init; } = ClipStd;

    /// <summary>Resampling kernel; only "bicubic" (Catmull-Rom, as Pillow/torchvision) is implemented.</summary>
    [JsonPropertyName("interpolation")]
    public string Interpolation { get; init; } = "bicubic";

    /// <summary>"shortest": resize the short side to <see cref="Size"/> and centre-crop (CLIP); "border": fit and pad with white.</summary>
    [JsonPropertyName("resize_mode")]
    public string ResizeMode { get; init; } = "shortest";

    /// <summary>CLIP preprocessing at <paramref name="size"/> pixels.</summary>
    public static ImagePreprocessConfig Clip(int size) => new() { Size = size };

    /// <summary>Throws naming the first invalid field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public ImagePreprocessConfig Validate()
    {
        if (Size <= 0) throw new ArgumentException($"size must be positive, got {Size}", nameof(Size));
        if (Mean.Count != 3) throw new ArgumentException($"mean needs 3 values (R, G, B), got {Mean.Count}", nameof(Mean));
        if (Std.Count != 3) throw new ArgumentException($"std needs 3 values (R, G, B), got {Std.Count}", nameof(Std));
        if (Std.Any(s => !(s > 0) || float.IsInfinity(s)))
            throw new ArgumentException($"std values must be positive and finite, got [{string.Join(", ", Std)}]", nameof(Std));
        if (Interpolation != "bicubic")
            throw new ArgumentException($"interpolation '{Interpolation}' is not supported (only 'bicubic')", nameof(Interpolation));
        _ = ResizeModeOf();
        return this;
    }

    /// <summary>The Qlip.Data resize mode for <see cref="ResizeMode"/>.</summary>
    internal Qlip.Data.Images.ResizeMode ResizeModeOf() => ResizeMode switch
    {
        "shortest" => Qlip.Data.Images.ResizeMode.CenterCrop,
        "border" => Qlip.Data.Images.ResizeMode.Border,
        _ => throw new ArgumentException($"resize_mode '{ResizeMode}' is not supported ('shortest' or 'border')", nameof(ResizeMode)),
    };
}
