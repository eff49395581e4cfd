using TorchSharp;
using Qlip.ML.Nn;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Optim;

/// <summary>
/// LAMB (You et al. 2019, "Large Batch Optimization for Deep Learning", Alg. 2): the Adam direction plus decoupled
/// weight decay, r = m̂/(√v̂ + ε) + λ·w, rescaled per parameter tensor by the trust ratio ‖w‖/‖r‖ (φ = identity).
/// When ‖w‖ = 0 (e.g. a zero-initialised bias) or ‖r‖ = 0 the ratio is 1, the guard the reference implementations use.
/// Stage 1's optimizer: β = (0.9, 0.95), λ = 0.05 (qlip-spec §4).
/// </summary>
public sealed class LambOptimizer : AdamMomentsOptimizer
{
    /// <summary>Creates LAMB over the given groups; each group carries its own lr and λ.</summary>
    public LambOptimizer(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-6)
        : base(groups, beta1, beta2, eps)
    {
    }

    /// <inheritdoc />
    protected override void Update(ParameterGroup group, Tensor param, Tensor grad, ParameterState state)
    {
        var (m, v, c1, c2) = UpdateMoments(param, grad, state);
        using var eps = Eps.ToScalar();
        using var weightDecay = group.WeightDecay.ToScalar();
        using var lr = group.Lr.ToScalar();
        var r = m.Over(c1) / v.Over(c2).sqrt_().add_(eps, ScalarOperands.One);    // m̂/(√v̂ + ε)
        if (group.WeightDecay != 0) r.add_(param, alpha: weightDecay);
        var weightNorm = param.norm();
        var updateNorm = r.norm();
        using var zero = 0.ToScalar();
        var usable = weightNorm.gt(zero).logical_and_(updateNorm.gt(zero));
        var trust = where(usable, weightNorm / updateNorm, ones_like(weightNorm));
        param.sub_(r.mul_(trust).mul_(lr));               // w ← w − lr·(‖w‖/‖r‖)·r
    }
}
