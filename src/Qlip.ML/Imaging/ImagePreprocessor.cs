// Decoded RGB images → (B, 3, S, S) float tensors in the normalized space the encoder reads (spec §1):
// bicubic resize of the short side + centre crop (Qlip.Data's resizer), then (x/255 − mean_c) / std_c.
using Qlip.Data.Images;
using static TorchSharp.torch;

namespace Qlip.ML.Imaging;

/// <summary>Turns <see cref="RgbImage"/>s into normalized (B, 3, S, S) float32 tensors.</summary>
/// <remarks>Gray images enter as <see cref="RgbImage.FromGray"/>, which replicates the channel three times.</remarks>
public sealed class ImagePreprocessor
{
    private readonly float[][] _lookup; // per channel: byte value → normalized float

    /// <summary>Creates a preprocessor for <paramref name="config"/> (validated here).</summary>
    public ImagePreprocessor(ImagePreprocessConfig config)
    {
        Config = config.Validate();
        _lookup = [.. Enumerable.Range(0, 3).Select(c =>
            Enumerable.Range(0, 256).Select(v => (v / 255f - config.Mean[c]) / config.Std[c]).ToArray())];
    }

    /// <summary>The settings in use.</summary>
    public ImagePreprocessConfig Config { get; }

    /// <summary>The image resized and cropped to <see cref="ImagePreprocessConfig.Size"/> (unchanged when it already fits).</summary>
    public RgbImage Resize(RgbImage image) => ImageResizer.Resize(image, Config.Size, Config.ResizeModeOf());

    /// <summary>A batch (B, 3, S, S) float32 on the CPU; images of any size are resized first.</summary>
    public Tensor Preprocess(IReadOnlyList<RgbImage> images)
    {
        if (images.Count == 0) throw new ArgumentException("no images to preprocess", nameof(images));
        var size = Config.Size;
        var plane = size * size;
        var data = new float[images.Count * 3 * plane];
        Parallel.For(0, images.Count, b =>
        {
            var pixels = Resize(images[b]).Pixels; // HWC bytes
            var offset = b * 3 * plane;
            for (var i = 0; i < plane; i++)
                for (var c = 0; c < 3; c++)
                    data[offset + c * plane + i] = _lookup[c][pixels[i * 3 + c]]; // CHW
        });
        return tensor(data, [images.Count, 3, size, size], ScalarType.Float32); // (B, 3, S, S)
    }
}
