using Qlip.ML.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>EVA-02 SwiGLU MLP (spec §2, reference <c>SwiGLU</c>): <c>w3(ffn_ln(silu(w1 x) ⊙ w2 x))</c>, ffn_ln only with sub-LN.</summary>
public sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear w1;
    private readonly Linear w2;
    private readonly LayerNorm? ffn_ln;
    private readonly Linear w3;

    /// <summary>Builds D → intermediate → D from <paramref name="config"/>.</summary>
    public SwiGluMlp(QlipTowerConfig config) : base(nameof(SwiGluMlp))
    {
        w1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        w2 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        ffn_ln = config.SubLn ? nn.LayerNorm(config.IntermediateSize, config.LayerNormEps) : null;
        w3 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var h = nn.functional.silu(w1.call(x)) * w2.call(x); // (B, N, I)
        if (ffn_ln is not null) h = ffn_ln.call(h);
        return w3.call(h);                                   // (B, N, D)
    }
}
