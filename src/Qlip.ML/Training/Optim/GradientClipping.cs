using TorchSharp;
using Qlip.ML.Nn;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Optim;

/// <summary>Gradient clipping by the global L2 norm over all parameters (Pascanu et al. 2013; PyTorch's clip_grad_norm_).</summary>
public static class GradientClipping
{
    /// <summary>The global L2 norm of all gradients, √Σ‖g‖², accumulated in double precision.</summary>
    public static double GlobalNorm(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var sumOfSquares = 0.0;
        foreach (var p in parameters)
        {
            var grad = p.grad;
            if (grad is null) continue;
            sumOfSquares += grad.to_type(ScalarType.Float64).Squared().sum().item<double>();
        }
        return Math.Sqrt(sumOfSquares);
    }

    /// <summary>
    /// Scales all gradients by maxNorm / norm when the global norm exceeds <paramref name="maxNorm"/> and returns the
    /// norm before clipping. A non-finite norm is returned unchanged and nothing is scaled: the caller decides to stop.
    /// </summary>
    public static double ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        var norm = GlobalNorm(parameters);
        if (!double.IsFinite(norm) || norm <= maxNorm) return norm;
        var scale = maxNorm / (norm + 1e-6);  // the 1e-6 keeps PyTorch's convention
        using var noGrad = no_grad();
        using var factor = scale.ToScalar();
        foreach (var p in parameters) p.grad?.mul_(factor);
        return norm;
    }
}
