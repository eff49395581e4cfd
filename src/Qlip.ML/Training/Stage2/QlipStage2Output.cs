using Qlip.ML.Quantization;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Stage2;

/// <summary>What the stage-2 autoencoder produces for a batch.</summary>
/// <param name="Reconstructions">x̂ (B, C, H, W) in CLIP-normalized space.</param>
/// <param name="Quantizer">The bottleneck's codes, ids and BSQ loss terms.</param>
public sealed record QlipStage2Output(Tensor Reconstructions, BsqOutput Quantizer);
