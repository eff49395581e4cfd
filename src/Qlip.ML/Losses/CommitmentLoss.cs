using Qlip.ML.Nn;
using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>BSQ commitment term (spec §3): β·mean_tokens Σ_c (stopgrad(zq) − z)², with the scaled zq.</summary>
public static class CommitmentLoss
{
    /// <summary>The commitment loss (rank 0) pulling <paramref name="z"/> (…, L) towards its fixed code <paramref name="zq"/>.</summary>
    public static Tensor Compute(Tensor zq, Tensor z, double beta) =>
        (zq.detach() - z).Squared().sum(-1).mean().Times(beta);
}
