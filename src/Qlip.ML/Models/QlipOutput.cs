using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>What <see cref="QlipModel"/> produces for a batch of image-text pairs (reference <c>QLIPOutput</c>).</summary>
/// <param name="ImageEmbeds">L2-normalized image embeddings (B, P).</param>
/// <param name="TextEmbeds">L2-normalized text embeddings (B, P).</param>
/// <param name="ImageFeatures">visual_projection(pooled CLS) before normalization (B, P).</param>
/// <param name="TextFeatures">text_projection(pooled EOS) before normalization (B, P).</param>
/// <param name="LogitsPerImage">exp(logit_scale)·image·textᵀ (B, B), no clamp.</param>
/// <param name="LogitsPerText">Its transpose (B, B).</param>
/// <param name="Reconstructions">Decoded images (B, C, H, W) in CLIP-normalized space (no clamp).</param>
/// <param name="Vision">The vision tower's hidden states, codes, ids and quantizer loss terms.</param>
/// <param name="Text">The text tower's hidden states and pooled feature.</param>
public sealed record QlipOutput(Tensor ImageEmbeds, Tensor TextEmbeds, Tensor ImageFeatures, Tensor TextFeatures,
    Tensor LogitsPerImage, Tensor LogitsPerText, Tensor Reconstructions, QlipVisionOutput Vision, QlipTextOutput Text);
