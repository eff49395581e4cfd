using Qlip.Testing.Data;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

/// <summary>Real Fashion-MNIST (Qlip.Data's reader) as tensors: images (N, 1, 28, 28) float32 on [0, 255], labels (N) int64.</summary>
public static class FashionMnistTestData
{
    /// <summary>Images [start, start+count) of the train or test split as tensors the caller owns.</summary>
    public static (Tensor Images, Tensor Labels) Slice(bool train, int start, int count)
    {
        var set = train ? RealData.FashionMnistTrain : RealData.FashionMnistTest;
        var pixels = set.Pixels.AsSpan(start * set.Height * set.Width, count * set.Height * set.Width).ToArray();
        var images = tensor(pixels, [count, 1, set.Height, set.Width]).to_type(ScalarType.Float32);
        var labels = tensor(set.Labels.AsSpan(start, count).ToArray().Select(l => (long)l).ToArray());
        return (images, labels);
    }

    /// <summary>Raw bytes of image <paramref name="index"/> of the test split (28×28 gray).</summary>
    public static byte[] TestImageBytes(int index) => RealData.FashionMnistTest.Image(index).ToArray();
}
