namespace Qlip.ML.Models;

/// <summary>
/// A PatchGAN discriminator (pix2pix's <c>NLayerDiscriminator</c>, as taming-transformers and BSQ-ViT use it for
/// stage-2 tokenizer training). Defaults are pix2pix's: 64 base channels, 3 strided layers (70×70 receptive field).
/// Unlike pix2pix it has no normalization layers: BatchNorm mixes the images of a batch, which breaks the per-image R1
/// gradient, and StyleGAN2's R1-regularized discriminator has none either.
/// </summary>
public sealed record PatchDiscriminatorConfig
{
    /// <summary>Image channels.</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Channels of the first conv; layer n has base · 2^min(n, 3).</summary>
    public int BaseChannels { get; init; } = 64;

    /// <summary>Stride-2 convs; each halves the resolution.</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Throws naming the first bad field; returns this for chaining.</summary>
    public PatchDiscriminatorConfig Validate(int imageSize)
    {
        if (InputChannels <= 0) throw new ArgumentException($"{nameof(InputChannels)} must be positive, got {InputChannels}");
        if (BaseChannels <= 0) throw new ArgumentException($"{nameof(BaseChannels)} must be positive, got {BaseChannels}");
        if (Layers < 1) throw new ArgumentException($"{nameof(Layers)} must be at least 1, got {Layers}");
        // The two stride-1 4×4 convs at the end each take one pixel off: the strided stack must leave at least 3.
        if (imageSize >> Layers < 3)
            throw new ArgumentException($"{nameof(Layers)} = {Layers} halves a {imageSize}-pixel image below 3 pixels; use fewer layers");
        return this;
    }

    /// <summary>Channels after conv <paramref name="n"/> (0 = the first).</summary>
    public int ChannelsAt(int n) => BaseChannels * (1 << Math.Min(n, 3));
}
