using Qlip.ML.Nn;
using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>
/// Soft entropy terms of Binary Spherical Quantization (spec §3; reference <c>QLIP/bsq.py</c>, <c>soft_entropy_loss</c>):
/// L_BSQ = (γ0·H_ps − γ1·H_cb)/τ. Entropies use entr(x) = −x ln x with ε = 1e-8 added inside, as the reference.
/// </summary>
public static class BsqEntropyLoss
{
    private const double Eps = 1e-8;

    /// <summary>
    /// Group mode: per group g, q = softmax_d(2τ⟨z_g, C_d⟩) over the 2^c group codes; H_ps = mean_tokens Σ_g Σ_d entr(q+ε),
    /// H_cb = Σ_g Σ_d entr(mean_tokens q + ε) (groups treated as independent).
    /// </summary>
    /// <param name="z">Pre-quantization tokens (…, L).</param>
    /// <param name="groupCodebook">(2^c, c) group codes, ±1 times the code scale.</param>
    /// <param name="invTemperature">τ.</param>
    public static BsqEntropy Group(Tensor z, Tensor groupCodebook, double invTemperature)
    {
        var c = groupCodebook.shape[1];
        var zg = z.reshape(-1, z.shape[^1] / c, c);                   // (T, G, c)
        var logits = zg.matmul(groupCodebook.t()).Times(2 * invTemperature); // (T, G, 2^c)
        var q = nn.functional.softmax(logits, -1);
        var perSample = Entr(q.Plus(Eps)).sum([-2, -1]).mean();
        var codebook = Entr(q.mean([0]).Plus(Eps)).sum();
        return new BsqEntropy(perSample, codebook);
    }

    /// <summary>
    /// Analytical mode: p_j = σ(−4τ z_j·s) is P(bit j = −1) with s the code scale (1/√L); H_ps = mean_tokens Σ_j h(p_j),
    /// H_cb = Σ_j h(mean_tokens p_j) with h(p) = entr(p+ε) + entr(1−p+ε). Per bit: the group size plays no part.
    /// </summary>
    public static BsqEntropy Analytical(Tensor z, double invTemperature, double codeScale)
    {
        var p = nn.functional.sigmoid(z.reshape(-1, z.shape[^1]).Times(-4 * invTemperature * codeScale)); // (T, L)
        var perSample = BitEntropy(p).sum(-1).mean();
        var codebook = BitEntropy(p.mean([0])).sum();
        return new BsqEntropy(perSample, codebook);
    }

    private static Tensor BitEntropy(Tensor p) => Entr(p.Plus(Eps)).Plus(Entr(p.From(1).Plus(Eps)));

    private static Tensor Entr(Tensor x) => -x * x.log();
}
