using Qlip.ML.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>CLIP MLP (reference <c>QLIPMLP</c>): <c>fc2(ffn_ln(act(fc1 x)))</c>, act from hidden_act, ffn_ln only with sub-LN.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly LayerNorm? ffn_ln;
    private readonly Linear fc2;
    private readonly string activation;

    /// <summary>Builds D → intermediate → D from <paramref name="config"/>.</summary>
    public Mlp(QlipTowerConfig config) : base(nameof(Mlp))
    {
        activation = config.HiddenAct;
        fc1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        ffn_ln = config.SubLn ? nn.LayerNorm(config.IntermediateSize, config.LayerNormEps) : null;
        fc2 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var h = Activations.Apply(activation, fc1.call(x)); // (B, N, I)
        if (ffn_ln is not null) h = ffn_ln.call(h);
        return fc2.call(h);                                 // (B, N, D)
    }
}
