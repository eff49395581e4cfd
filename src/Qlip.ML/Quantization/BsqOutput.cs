using static TorchSharp.torch;

namespace Qlip.ML.Quantization;

/// <summary>Everything one quantizer forward produces.</summary>
/// <param name="Quantized">zq (B, N, L): ±1/√L codes with a straight-through gradient to z.</param>
/// <param name="Indices">(B, N) int64 ids, dimension 0 the most significant bit.</param>
/// <param name="GroupIndices">(B, N, G) int64 ids of each c-bit group, MSB first.</param>
/// <param name="Loss">commitment + (γ0·H_ps − γ1·H_cb)/τ (rank 0; negative early in training, as expected).</param>
/// <param name="Commitment">β·mean Σ (zq − z)² (rank 0).</param>
/// <param name="PerSampleEntropy">H_ps (rank 0).</param>
/// <param name="CodebookEntropy">H_cb (rank 0), a codebook-usage metric.</param>
public sealed record BsqOutput(Tensor Quantized, Tensor Indices, Tensor GroupIndices, Tensor Loss, Tensor Commitment,
    Tensor PerSampleEntropy, Tensor CodebookEntropy);
