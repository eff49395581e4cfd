using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>
/// 2-D rotary position embedding, EVA-02 style (spec §2; reference <c>QLIP/rope.py</c>,
/// <c>VisionRotaryEmbeddingFast</c>): half of each head rotates with the row index and half with the column index,
/// positions rescaled to a 16-wide grid, each frequency repeated twice interleaved, rotation on adjacent pairs.
/// </summary>
public sealed class Rope2d : nn.Module<Tensor, Tensor>
{
    private readonly DerivedTensor freqs_cos; // (g², head_dim)
    private readonly DerivedTensor freqs_sin; // (g², head_dim)

    /// <summary>Builds the cos/sin tables for a <paramref name="gridSize"/>² grid of heads of width <paramref name="headDim"/>.</summary>
    /// <param name="headDim">Head width; must be divisible by 4.</param>
    /// <param name="gridSize">Patches per side (the reference's ft_seq_len).</param>
    /// <param name="ptSeqLen">Grid the positions are rescaled to (16, the EVA-02 pre-training grid).</param>
    /// <param name="theta">Frequency base.</param>
    public Rope2d(int headDim, int gridSize, int ptSeqLen = 16, double theta = 10000) : base(nameof(Rope2d))
    {
        if (headDim % 4 != 0) throw new ArgumentException($"head_dim ({headDim}) must be divisible by 4", nameof(headDim));
        var dim = headDim / 2;
        using (var scope = NewDisposeScope())
        {
            // fp32 throughout, in the reference's order of operations: 1/θ^(2i/dim), t = arange(g)/g·16.
            var exponents = ScalarOperands.Range(dim / 2).Times(2L).to_type(ScalarType.Float32).Over(dim); // (dim/2)
            var freqs = pow(tensor(theta), exponents).reciprocal();                                        // (dim/2)
            var t = ScalarOperands.Range(gridSize).to_type(ScalarType.Float32).Over(gridSize).Times((long)ptSeqLen); // (g)
            var axis = outer(t, freqs).repeat_interleave(2, dim: -1);                             // (g, dim) f0,f0,f1,f1,…
            var rows = axis.unsqueeze(1).expand(gridSize, gridSize, dim);                           // row index varies
            var cols = axis.unsqueeze(0).expand(gridSize, gridSize, dim);                           // column index varies
            var table = cat([rows, cols], -1).reshape(gridSize * gridSize, headDim);                 // (g², head_dim)
            // Derived from the config, so never saved: a checkpoint's copies are recomputed on load.
            freqs_cos = new DerivedTensor(table.cos());
            freqs_sin = new DerivedTensor(table.sin());
        }
        RegisterComponents();
    }

    /// <summary>Rotates <paramref name="x"/> (…, g², head_dim): x·cos + rotate_half(x)·sin.</summary>
    public override Tensor forward(Tensor x)
    {
        return (x * freqs_cos.Like(x)).Plus(RotateHalf(x) * freqs_sin.Like(x));
    }

    /// <summary>The cos table (g², head_dim), the reference's <c>freqs_cos</c>.</summary>
    public Tensor FreqsCos => freqs_cos.Value;

    /// <summary>The sin table (g², head_dim), the reference's <c>freqs_sin</c>.</summary>
    public Tensor FreqsSin => freqs_sin.Value;

    /// <summary>Rotates positions ≥ <paramref name="shift"/> along the sequence axis (−2), leaving the first ones (CLS) as they are.</summary>
    public Tensor Rotate(Tensor x, int shift)
    {
        if (shift == 0) return call(x);
        var axis = x.dim() - 2;
        var n = x.shape[axis];
        return cat([x.narrow(axis, 0, shift), call(x.narrow(axis, shift, n - shift))], axis);
    }

    /// <summary>Adjacent pairs (x0, x1) → (−x1, x0), not the half-split (NeoX) convention.</summary>
    private static Tensor RotateHalf(Tensor x)
    {
        var pairs = x.unflatten(x.dim() - 1, [x.shape[^1] / 2, 2]); // (…, d/2, 2)
        var x0 = pairs.select(-1, 0);
        var x1 = pairs.select(-1, 1);
        return stack([x1.neg(), x0], -1).flatten(-2);     // (…, d)
    }
}
