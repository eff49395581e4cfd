using Qlip.ML.Nn;
using Qlip.ML.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>
/// QLIP vision encoder E_v with its BSQ bottleneck (spec §1; reference <c>QLIPVisionTransformer</c>, state-dict prefix
/// <c>vision_model.</c>): patch embedding, pre-LN blocks with 2-D RoPE on patch tokens, post-LN on CLS; patch tokens
/// → MLP down → L2 norm → BSQ → MLP up.
/// </summary>
public sealed class QlipVisionEncoder : nn.Module<Tensor, QlipVisionOutput>
{
    private readonly PatchEmbedding embeddings;
    private readonly Rope2d? rope;
    private readonly TransformerStack encoder;
    private readonly LayerNorm post_layernorm;
    private readonly BottleneckMlp quant_embed;
    private readonly BinarySphericalQuantizer quantizer;
    private readonly BottleneckMlp quant_embed_post;

    private readonly bool l2Normalize;

    /// <summary>Builds the encoder and bottleneck from <paramref name="config"/>.</summary>
    public QlipVisionEncoder(QlipVisionConfig config) : base(nameof(QlipVisionEncoder))
    {
        var d = config.HiddenSize;
        var bits = config.QuantizerCfg.EmbedDim;
        l2Normalize = config.QuantizerL2Norm;
        embeddings = new PatchEmbedding(config);
        rope = config.Rope ? new Rope2d(config.HeadDim, config.GridSize) : null;
        encoder = new TransformerStack(config, rope, ropeShift: 1); // CLS is not rotated
        post_layernorm = nn.LayerNorm(d, config.LayerNormEps);
        quant_embed = new BottleneckMlp(d, d, bits);
        quantizer = new BinarySphericalQuantizer(config.QuantizerCfg);
        quant_embed_post = new BottleneckMlp(bits, config.HiddenSizePostQ, config.HiddenSizePostQ);
        RegisterComponents();
    }

    /// <summary>The quantizer (ids ↔ codes).</summary>
    public BinarySphericalQuantizer Quantizer => quantizer;

    /// <summary>Full forward of (B, C, H, W) CLIP-normalized pixels.</summary>
    public override QlipVisionOutput forward(Tensor pixels)
    {
        var hidden = HiddenStates(pixels);               // (B, N+1, D) each
        var pooled = Pool(hidden[^1]);                   // (B, D)
        var h = Bottleneck(hidden[^1]);                  // (B, N, L)
        var quantized = quantizer.call(h);
        var decoderInput = quant_embed_post.call(quantized.Quantized); // (B, N, D')
        return new QlipVisionOutput(hidden, pooled, h, quantized, decoderInput);
    }

    /// <summary>Embeddings followed by every block's output (B, N+1, D).</summary>
    public IReadOnlyList<Tensor> HiddenStates(Tensor pixels) => encoder.HiddenStates(embeddings.call(pixels), null);

    /// <summary>post_layernorm of the CLS token of an encoder output (B, N+1, D) → (B, D).</summary>
    public Tensor Pool(Tensor encoderOutput) => post_layernorm.call(encoderOutput.select(1, 0));

    /// <summary>The quantizer input h (B, N, L) from an encoder output (B, N+1, D): MLP down on patch tokens, then L2 norm.</summary>
    public Tensor Bottleneck(Tensor encoderOutput)
    {
        var patches = encoderOutput.narrow(1, 1, encoderOutput.shape[1] - 1); // (B, N, D), CLS dropped
        var h = quant_embed.call(patches);                                    // (B, N, L)
        return l2Normalize ? nn.functional.normalize(h, p: 2, dim: -1, eps: 1e-12) : h;
    }

    /// <summary>Images (B, C, H, W) → BSQ token ids (B, N), int64, row-major over the patch grid.</summary>
    public Tensor Tokenize(Tensor pixels) => quantizer.Indices(Bottleneck(HiddenStates(pixels)[^1]));

    /// <summary>Codes (B, N, L), e.g. fp32 from <see cref="BinarySphericalQuantizer.CodebookEntry"/>, → decoder input (B, N, D') through MLP up.</summary>
    public Tensor Unquantize(Tensor codes) => quant_embed_post.call(codes.to_type(quant_embed_post.parameters().First().dtype));
}
