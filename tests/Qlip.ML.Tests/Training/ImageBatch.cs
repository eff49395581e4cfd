using Qlip.ML.Training.Data;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

/// <summary>Fashion-MNIST images (B, 1, 28, 28) on [0, 1] and their labels (B).</summary>
public sealed record ImageBatch(Tensor Images, Tensor Labels) : IBatch
{
    public int Count => (int)Images.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
