using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>What the text encoder produces for one batch of token ids.</summary>
/// <param name="LastHiddenState">final_layer_norm of every token (B, T, D).</param>
/// <param name="Pooled">The hidden state at the first EOS of each row (B, D).</param>
public sealed record QlipTextOutput(Tensor LastHiddenState, Tensor Pooled);
