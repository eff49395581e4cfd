using Qlip.ML.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>Pre-LN block (spec §2, reference <c>QLIPEncoderLayer</c>): h += Attn(LN1 h); h += MLP(LN2 h).</summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm layer_norm1;
    private readonly Attention self_attn;
    private readonly LayerNorm layer_norm2;
    private readonly nn.Module<Tensor, Tensor> mlp;

    /// <summary>Builds one block; <paramref name="rope"/> and <paramref name="ropeShift"/> go to the attention.</summary>
    public TransformerBlock(QlipTowerConfig config, Rope2d? rope, int ropeShift) : base(nameof(TransformerBlock))
    {
        layer_norm1 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        self_attn = new Attention(config, rope, ropeShift);
        layer_norm2 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        mlp = config.SwiGlu ? new SwiGluMlp(config) : new Mlp(config);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        x = x.Plus(self_attn.call(layer_norm1.call(x), mask)); // (B, N, D)
        return x.Plus(mlp.call(layer_norm2.call(x)));         // (B, N, D)
    }
}
