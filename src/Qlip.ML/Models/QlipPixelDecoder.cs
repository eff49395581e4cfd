using Qlip.ML.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>
/// QLIP pixel decoder G (spec §1; reference <c>QLIPVisionDecoder</c>, state-dict prefix <c>vision_decoder.</c>):
/// + learned positions → blocks (RoPE, no shift) → LayerNorm → Linear → Tanh → Linear(3·p²) → unpatchify with the
/// channel as the slowest index inside each patch. Output is CLIP-normalized (no clamp).
/// </summary>
public sealed class QlipPixelDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Parameter position_embeddings;
    private readonly Rope2d? rope;
    private readonly TransformerStack encoder;
    private readonly LayerNorm norm;
    private readonly Sequential ffn;
    private readonly Linear conv_out;

    private readonly int grid;
    private readonly int patch;
    private readonly int channels;

    /// <summary>Builds the decoder from <paramref name="config"/>.</summary>
    public QlipPixelDecoder(QlipDecoderConfig config) : base(nameof(QlipPixelDecoder))
    {
        grid = config.GridSize;
        patch = config.PatchSize;
        channels = config.NumChannels;
        var d = config.HiddenSize;
        position_embeddings = nn.Parameter(zeros(1, grid * grid, d)); // zero init (spec §1)
        rope = config.Rope ? new Rope2d(config.HeadDim, grid) : null;
        encoder = new TransformerStack(config, rope, ropeShift: 0);
        norm = nn.LayerNorm(d, config.LayerNormEps);
        ffn = nn.Sequential(("0", nn.Linear(d, config.IntermediateSize)), ("1", nn.Tanh()));
        conv_out = nn.Linear(config.IntermediateSize, channels * patch * patch);
        RegisterComponents();
    }

    /// <summary>Decoder input (B, N, D') → image (B, C, H, W) in CLIP-normalized space.</summary>
    public override Tensor forward(Tensor x)
    {
        var h = encoder.call(x.Plus(position_embeddings), null); // (B, N, D')
        var pixels = conv_out.call(ffn.call(norm.call(h)));  // (B, N, C·p²)
        return Unpatchify(pixels);                           // (B, C, H, W)
    }

    // recon[b, c, gh·p + i, gw·p + j] = pixels[b, gh·g + gw, c·p² + i·p + j]
    private Tensor Unpatchify(Tensor pixels)
    {
        var b = pixels.shape[0];
        return pixels.view(b, grid, grid, channels, patch, patch) // (B, gh, gw, C, i, j)
            .permute(0, 3, 1, 4, 2, 5)                            // (B, C, gh, i, gw, j)
            .reshape(b, channels, grid * patch, grid * patch);    // (B, C, H, W)
    }
}
