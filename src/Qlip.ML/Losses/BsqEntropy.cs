using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>The two soft entropy terms of the BSQ loss (rank-0 tensors, in nats).</summary>
/// <param name="PerSample">H_ps = E[H(q(z))], the mean entropy of each token's soft assignment.</param>
/// <param name="Codebook">H_cb = H(E[q(z)]), the entropy of the batch-mean assignment (codebook usage).</param>
public sealed record BsqEntropy(Tensor PerSample, Tensor Codebook);
