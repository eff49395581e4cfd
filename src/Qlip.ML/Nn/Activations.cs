using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>
/// The activations named by <c>hidden_act</c> in the reference configs, and the two the GAN needs written from
/// tensor ops (TorchSharp's <c>leaky_relu</c> and <c>softplus</c> make temporary Scalars: see <see cref="ScalarOperands"/>).
/// </summary>
public static class Activations
{
    /// <summary>Applies <c>gelu</c> (exact erf form) or <c>quick_gelu</c> (x·σ(1.702x), OpenAI CLIP).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => nn.functional.gelu(x),
        "quick_gelu" => x * nn.functional.sigmoid(x.Times(1.702)),
        _ => throw new ArgumentException($"unknown hidden_act '{name}'", nameof(name)),
    };

    /// <summary>leaky_relu(x) = max(x, slope·x) for 0 ≤ slope ≤ 1.</summary>
    public static Tensor LeakyRelu(Tensor x, double slope) => x.maximum(x.Times(slope));

    /// <summary>softplus(x) = log(1 + eˣ), computed as relu(x) + log1p(e^−|x|) so it never overflows.</summary>
    public static Tensor Softplus(Tensor x) => nn.functional.relu(x).Plus(x.abs().neg().exp().log1p());
}
