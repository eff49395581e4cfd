using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>
/// The quantizer bottleneck MLPs (spec §1, reference <c>quant_embed</c> / <c>quant_embed_post</c>):
/// <c>c_proj(gelu(c_fc x))</c> with the erf GELU hard-coded (independent of hidden_act).
/// </summary>
public sealed class BottleneckMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_fc;
    private readonly Linear c_proj;

    /// <summary>Builds Linear(in, hidden) → GELU → Linear(hidden, out).</summary>
    public BottleneckMlp(int inFeatures, int hidden, int outFeatures) : base(nameof(BottleneckMlp))
    {
        c_fc = nn.Linear(inFeatures, hidden);
        c_proj = nn.Linear(hidden, outFeatures);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => c_proj.call(nn.functional.gelu(c_fc.call(x)));
}
