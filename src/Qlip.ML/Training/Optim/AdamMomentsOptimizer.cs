using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Optim;

/// <summary>
/// Shared first half of Adam-family updates (Kingma &amp; Ba 2015, Alg. 1): exponential moving averages of the
/// gradient and its square, and their bias-correction denominators.
/// </summary>
public abstract class AdamMomentsOptimizer : GroupedOptimizer
{
    /// <summary>Validates β1, β2 ∈ [0, 1) and ε &gt; 0.</summary>
    protected AdamMomentsOptimizer(IReadOnlyList<ParameterGroup> groups, double beta1, double beta2, double eps)
        : base(groups)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β1 must be in [0, 1).");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β2 must be in [0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
    }

    /// <summary>Decay rate of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to √v̂ so the update stays finite where v̂ = 0.</summary>
    public double Eps { get; }

    /// <summary>
    /// Updates m ← β1·m + (1−β1)·g and v ← β2·v + (1−β2)·g² in place and returns them with the bias corrections
    /// 1−β1^t and 1−β2^t for the state's step t.
    /// </summary>
    protected (Tensor M, Tensor V, double Correction1, double Correction2) UpdateMoments(Tensor param, Tensor grad, ParameterState state)
    {
        var m = state.Slot("exp_avg", param);
        var v = state.Slot("exp_avg_sq", param);
        // Scalars held until the ops return (see Nn.ScalarOperands for the use-after-free this avoids).
        using var beta1 = Beta1.ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        m.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
        v.mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
        return (m, v, 1 - Math.Pow(Beta1, state.Step), 1 - Math.Pow(Beta2, state.Step));
    }
}
