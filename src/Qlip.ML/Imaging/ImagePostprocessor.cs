using Qlip.ML.Nn;
// The inverse of ImagePreprocessor for decoder outputs (spec §1: the decoder predicts normalized pixels):
// x · std_c + mean_c, clamped to [0, 1], then 8-bit RGB images or PNG bytes.
using Qlip.Data.Images;
using static TorchSharp.torch;

namespace Qlip.ML.Imaging;

/// <summary>Turns normalized (B, 3, H, W) tensors back into [0, 1] pixels, <see cref="RgbImage"/>s and PNGs.</summary>
public sealed class ImagePostprocessor(ImagePreprocessConfig config)
{
    /// <summary>The settings whose normalization is undone.</summary>
    public ImagePreprocessConfig Config { get; } = config.Validate();

    /// <summary>De-normalized pixels in [0, 1], same shape as <paramref name="pixels"/> ((B, 3, H, W) or (3, H, W)).</summary>
    public Tensor Denormalize(Tensor pixels)
    {
        var channelDim = pixels.dim() - 3;
        if (channelDim < 0 || pixels.shape[channelDim] != 3)
            throw new ArgumentException($"expected (B, 3, H, W) or (3, H, W) pixels, got ({string.Join(", ", pixels.shape)})", nameof(pixels));
        using var scope = NewDisposeScope();
        var shape = Enumerable.Repeat(1L, (int)pixels.dim()).ToArray();
        shape[channelDim] = 3;
        var mean = tensor(Config.Mean.ToArray(), device: pixels.device).view(shape);
        var std = tensor(Config.Std.ToArray(), device: pixels.device).view(shape);
        return pixels.to(ScalarType.Float32).mul(std).Plus(mean).Between(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>8-bit RGB images from a (B, 3, H, W) batch (rounded to the nearest level).</summary>
    public IReadOnlyList<RgbImage> ToImages(Tensor pixels)
    {
        if (pixels.dim() != 4) throw new ArgumentException($"expected (B, 3, H, W) pixels, got ({string.Join(", ", pixels.shape)})", nameof(pixels));
        using var scope = NewDisposeScope();
        var (batch, height, width) = ((int)pixels.shape[0], (int)pixels.shape[2], (int)pixels.shape[3]);
        var bytes = Denormalize(pixels).Times(255L).round().to(ScalarType.Byte)
            .permute(0, 2, 3, 1).contiguous().cpu().data<byte>().ToArray(); // (B, H, W, 3)
        var imageBytes = height * width * 3;
        return [.. Enumerable.Range(0, batch).Select(b => new RgbImage(width, height, bytes[(b * imageBytes)..((b + 1) * imageBytes)]))];
    }

    /// <summary>PNG bytes of one image, (3, H, W) or (1, 3, H, W).</summary>
    public byte[] ToPng(Tensor pixels)
    {
        using var batch = pixels.dim() == 3 ? pixels.unsqueeze(0) : pixels.alias();
        if (batch.shape[0] != 1) throw new ArgumentException($"ToPng takes one image, got a batch of {batch.shape[0]}", nameof(pixels));
        return ImageEncoder.EncodePng(ToImages(batch)[0]);
    }
}
