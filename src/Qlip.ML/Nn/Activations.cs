using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>The activations named by <c>hidden_act</c> in the reference configs.</summary>
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
}
