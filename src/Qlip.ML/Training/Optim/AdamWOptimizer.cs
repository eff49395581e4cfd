using Qlip.ML.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay, w ← w·(1 − lr·λ) before the Adam step,
/// as PyTorch's <c>torch.optim.AdamW</c> orders it. Used by stage 2 (β = (0.9, 0.95), λ = 0.05) and the discriminator.
/// </summary>
public sealed class AdamWOptimizer : AdamMomentsOptimizer
{
    /// <summary>Creates AdamW over the given groups; each group carries its own lr and λ.</summary>
    public AdamWOptimizer(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : base(groups, beta1, beta2, eps)
    {
    }

    /// <inheritdoc />
    protected override void Update(ParameterGroup group, Tensor param, Tensor grad, ParameterState state)
    {
        var (m, v, c1, c2) = UpdateMoments(param, grad, state);
        using var decay = (1 - group.Lr * group.WeightDecay).ToScalar();
        using var sqrtC2 = Math.Sqrt(c2).ToScalar();
        using var eps = Eps.ToScalar();
        using var step = (-group.Lr / c1).ToScalar();
        if (group.WeightDecay != 0) param.mul_(decay);
        var denom = v.sqrt().div_(sqrtC2).add_(eps, ScalarOperands.One);   // √v̂ + ε
        param.addcdiv_(m, denom, value: step);          // w ← w − lr·m̂/(√v̂ + ε)
    }
}
