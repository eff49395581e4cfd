using Qlip.ML.Quantization;
using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>What the vision encoder produces for one batch of images.</summary>
/// <param name="HiddenStates">Embeddings then each block's output, (B, N+1, D) each; [^2] is the second-last layer (for VLMs), [^1] the encoder output (no final LN).</param>
/// <param name="Pooled">post_layernorm of the CLS token (B, D), never quantized.</param>
/// <param name="QuantizerInput">h = normalize(quant_embed(patch tokens)) (B, N, L).</param>
/// <param name="Quantizer">The quantizer's codes, ids and loss terms.</param>
/// <param name="DecoderInput">quant_embed_post(zq) (B, N, D'): the decoder's input (the reference's last_hidden_state).</param>
public sealed record QlipVisionOutput(IReadOnlyList<Tensor> HiddenStates, Tensor Pooled, Tensor QuantizerInput,
    BsqOutput Quantizer, Tensor DecoderInput);
