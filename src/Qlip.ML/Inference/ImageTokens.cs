using static TorchSharp.torch;

namespace Qlip.ML.Inference;

/// <summary>BSQ token ids of a batch of images.</summary>
/// <param name="Ids">(B, h, w) int64 on the CPU, row-major over the patch grid; bit 0 of the code is the id's most significant bit.</param>
/// <param name="Bits">Bits per id L (ids are in [0, 2^L)).</param>
public sealed record ImageTokens(Tensor Ids, int Bits)
{
    /// <summary>Grid rows h.</summary>
    public int GridHeight => (int)Ids.shape[1];

    /// <summary>Grid columns w.</summary>
    public int GridWidth => (int)Ids.shape[2];

    /// <summary>The ids of image <paramref name="index"/>, row-major (h·w values).</summary>
    public long[] IdsOf(int index)
    {
        using var scope = NewDisposeScope();
        return Ids[index].contiguous().data<long>().ToArray();
    }
}
