using Qlip.ML.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>
/// Multi-head self-attention as in the reference <c>QLIPAttention</c> (spec §2): separate q/k/v projections, q scaled
/// by head_dim^-0.5 before RoPE, RoPE on positions ≥ rope_shift, additive masks, optional sub-LN on the concatenated
/// heads before out_proj.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Rope2d? rope;
    private readonly LayerNorm? inner_attn_ln;
    private readonly Linear out_proj;

    private readonly int heads;
    private readonly int headDim;
    private readonly int ropeShift;
    private readonly double scale;

    /// <summary>Builds the projections from <paramref name="config"/>.</summary>
    /// <param name="config">Width, heads, biases and the sub-LN flag.</param>
    /// <param name="rope">The shared rotary table, or null for no RoPE.</param>
    /// <param name="ropeShift">Leading positions left unrotated (1 for the CLS token, 0 in the decoder).</param>
    public Attention(QlipTowerConfig config, Rope2d? rope, int ropeShift) : base(nameof(Attention))
    {
        var d = config.HiddenSize;
        heads = config.NumAttentionHeads;
        headDim = config.HeadDim;
        this.ropeShift = ropeShift;
        scale = Math.Pow(headDim, -0.5);
        q_proj = nn.Linear(d, d, hasBias: config.QBias);
        k_proj = nn.Linear(d, d, hasBias: config.KBias);
        v_proj = nn.Linear(d, d, hasBias: config.VBias);
        this.rope = rope;
        inner_attn_ln = config.SubLn ? nn.LayerNorm(d, config.LayerNormEps) : null;
        out_proj = nn.Linear(d, d);
        RegisterComponents();
    }

    /// <summary>Attends over <paramref name="x"/> (B, N, D); <paramref name="mask"/> is added to the scores (broadcast to (B, H, N, N)).</summary>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        var (b, n, d) = (x.shape[0], x.shape[1], x.shape[2]);
        var q = SplitHeads(q_proj.call(x).Times(scale), b, n); // (B, H, N, hd), scaled before RoPE
        var k = SplitHeads(k_proj.call(x), b, n);         // (B, H, N, hd)
        var v = SplitHeads(v_proj.call(x), b, n);         // (B, H, N, hd)
        if (rope is not null)
        {
            q = rope.Rotate(q, ropeShift);
            k = rope.Rotate(k, ropeShift);
        }
        var scores = q.matmul(k.transpose(-2, -1));       // (B, H, N, N)
        if (mask is not null) scores = scores.Plus(mask);
        var weights = nn.functional.softmax(scores, -1);
        var o = weights.matmul(v).transpose(1, 2).reshape(b, n, d); // (B, N, D)
        if (inner_attn_ln is not null) o = inner_attn_ln.call(o);
        return out_proj.call(o);
    }

    private Tensor SplitHeads(Tensor t, long b, long n) => t.view(b, n, heads, headDim).transpose(1, 2);
}
