using Qlip.ML.Native;
using Qlip.ML.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>
/// PatchGAN discriminator (Isola et al. 2017, pix2pix <c>NLayerDiscriminator</c>): strided 4×4 convs with LeakyReLU
/// 0.2, then two stride-1 4×4 convs, giving one real/fake logit per overlapping patch (no normalization layers: see
/// <see cref="PatchDiscriminatorConfig"/>). Used by stage 2 (spec §4) with
/// the non-saturating loss and lazy R1 (Losses/AdversarialLoss). Gradients into its input (the generator's term, R1)
/// must run inside <see cref="LibTorchBackends.ReferenceConvolutions"/>, as a stage-2 run does: oneDNN's conv
/// backward-data can turn them NaN.
/// </summary>
public sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>
{
    private const double Slope = 0.2;
    private readonly Conv2d conv_in;
    private readonly ModuleList<Conv2d> blocks;
    private readonly Conv2d conv_mid;
    private readonly Conv2d conv_out;

    // NNPACK fails to initialize on CPUs without its instruction set and then logs on every conv (LibTorchBackends).
    static PatchDiscriminator() => LibTorchBackends.DisableNnpack();

    /// <summary>Builds the stack for <paramref name="imageSize"/>-pixel images and initializes it (pix2pix: N(0, 0.02)).</summary>
    public PatchDiscriminator(PatchDiscriminatorConfig config, int imageSize) : base(nameof(PatchDiscriminator))
    {
        config.Validate(imageSize);
        conv_in = nn.Conv2d(config.InputChannels, config.BaseChannels, 4, stride: 2, padding: 1);
        blocks = new ModuleList<Conv2d>(Enumerable.Range(1, config.Layers - 1)
            .Select(n => nn.Conv2d(config.ChannelsAt(n - 1), config.ChannelsAt(n), 4, stride: 2, padding: 1)).ToArray());
        conv_mid = nn.Conv2d(config.ChannelsAt(config.Layers - 1), config.ChannelsAt(config.Layers), 4, stride: 1, padding: 1);
        conv_out = nn.Conv2d(config.ChannelsAt(config.Layers), 1, 4, stride: 1, padding: 1);
        RegisterComponents();
        InitWeights();
    }

    /// <summary>(B, C, H, W) images → (B, 1, H/2^L − 2, W/2^L − 2) patch logits (30×30 for 256 pixels and 3 layers).</summary>
    public override Tensor forward(Tensor images)
    {
        var h = Activations.LeakyRelu(conv_in.call(images), Slope);     // (B, c0, H/2, W/2)
        foreach (var block in blocks)
            h = Activations.LeakyRelu(block.call(h), Slope);             // (B, c_n, H/2^(n+1), W/2^(n+1))
        h = Activations.LeakyRelu(conv_mid.call(h), Slope);             // (B, c_L, H/2^L − 1, W/2^L − 1)
        return conv_out.call(h);                                            // (B, 1, H/2^L − 2, W/2^L − 2)
    }

    // pix2pix init_weights('normal'): conv weights N(0, 0.02), biases 0.
    private void InitWeights()
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) nn.init.zeros_(p);
            else nn.init.normal_(p, 0, 0.02);
        }
    }
}
