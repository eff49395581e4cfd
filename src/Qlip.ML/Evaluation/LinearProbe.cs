using Qlip.ML.Nn;
using Qlip.ML.Training.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Qlip.ML.Evaluation;

/// <summary>
/// Linear probe (qlip-spec §6, on CLS or averaged patch features): multinomial logistic regression on standardised
/// features, trained full-batch with AdamW and an L2 penalty on the weights. Deterministic for given inputs.
/// </summary>
public sealed class LinearProbe : IDisposable
{
    private readonly Tensor mean, std, weight, bias;

    private LinearProbe(Tensor mean, Tensor std, Tensor weight, Tensor bias) => (this.mean, this.std, this.weight, this.bias) = (mean, std, weight, bias);

    /// <summary>Fits on features (N, D) and integer labels (N) of <paramref name="classes"/> classes.</summary>
    public static LinearProbe Fit(Tensor features, Tensor labels, int classes, int steps = 300, double lr = 0.05, double l2 = 1e-4)
    {
        if (features.dim() != 2 || labels.dim() != 1 || features.shape[0] != labels.shape[0])
            throw new ArgumentException($"Expected features (N, D) and labels (N), got [{string.Join(", ", features.shape)}] and [{string.Join(", ", labels.shape)}].");
        using var scope = NewDisposeScope();
        using var grad = enable_grad();  // evaluators run under no_grad; fitting needs gradients
        var x = features.detach().to_type(ScalarType.Float32);
        var mean = x.mean([0L], keepdim: true);
        var std = x.std(0, keepdim: true).AtLeast(1e-6);  // constant features (e.g. always-black pixels) stay 0
        var z = (x - mean) / std;
        var y = labels.to_type(ScalarType.Int64);
        var w = new Parameter(zeros(x.shape[1], classes));
        var b = new Parameter(zeros(classes));
        using var optimizer = new AdamWOptimizer([new ParameterGroup("probe", [new("weight", w), new("bias", b)], lr, 0)]);
        for (var step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var loss = F.cross_entropy(z.matmul(w).Plus(b), y).Plus(w.Squared().sum().Times(l2));
            loss.backward();
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        return new LinearProbe(mean.MoveToOuterDisposeScope(), std.MoveToOuterDisposeScope(),
            w.detach().MoveToOuterDisposeScope(), b.detach().MoveToOuterDisposeScope());
    }

    /// <summary>Predicted class (N) for features (N, D).</summary>
    public Tensor Predict(Tensor features)
    {
        using var scope = NewDisposeScope();
        var z = (features.to_type(ScalarType.Float32) - mean) / std;
        return z.matmul(weight).Plus(bias).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Top-1 accuracy on features (N, D) and labels (N).</summary>
    public double Accuracy(Tensor features, Tensor labels)
    {
        using var predicted = Predict(features);
        using var correct = predicted.eq(labels.to_type(ScalarType.Int64));
        return correct.to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        mean.Dispose();
        std.Dispose();
        weight.Dispose();
        bias.Dispose();
    }
}
