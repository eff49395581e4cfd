using static TorchSharp.torch;

namespace Qlip.ML.Training.Data;

/// <summary>Image-text pairs ready for the model: CLIP-normalized pixels and CLIP token ids.</summary>
/// <param name="Pixels">(B, 3, S, S) float32, CLIP-normalized.</param>
/// <param name="InputIds">(B, T) int64 token ids (SOT … EOT, zero padded).</param>
/// <param name="Keys">The webdataset key of each sample, in batch order.</param>
public sealed record ImageTextBatch(Tensor Pixels, Tensor InputIds, IReadOnlyList<string> Keys) : IBatch
{
    /// <inheritdoc />
    public int Count => (int)Pixels.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Pixels.Dispose();
        InputIds.Dispose();
    }
}
