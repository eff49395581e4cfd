using System.IO.Compression;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

/// <summary>
/// Real Fashion-MNIST from the Debian package (IDX, gzip), read directly until Qlip.Data's reader is on main.
/// Images are (N, 1, 28, 28) float32 on [0, 255]; labels (N) int64.
/// </summary>
public static class FashionMnistTestData
{
    private const string Folder = "/usr/share/datasets/fashion-mnist";
    private static readonly Lazy<(byte[] Pixels, byte[] Labels)> Train = new(() => Load("train"));
    private static readonly Lazy<(byte[] Pixels, byte[] Labels)> Test = new(() => Load("t10k"));

    /// <summary>Images [start, start+count) of the train or test split as tensors the caller owns.</summary>
    public static (Tensor Images, Tensor Labels) Slice(bool train, int start, int count)
    {
        var (pixels, labels) = (train ? Train : Test).Value;
        var images = tensor(pixels.AsSpan(start * 784, count * 784).ToArray(), [count, 1, 28, 28]).to_type(ScalarType.Float32);
        var classes = tensor(labels.AsSpan(start, count).ToArray().Select(l => (long)l).ToArray());
        return (images, classes);
    }

    /// <summary>Raw bytes of image <paramref name="index"/> of the test split (28×28 gray).</summary>
    public static byte[] TestImageBytes(int index) => Test.Value.Pixels.AsSpan(index * 784, 784).ToArray();

    private static (byte[], byte[]) Load(string prefix) =>
        (ReadIdx($"{prefix}-images-idx3-ubyte.gz", headerInts: 4), ReadIdx($"{prefix}-labels-idx1-ubyte.gz", headerInts: 2));

    private static byte[] ReadIdx(string name, int headerInts)
    {
        var path = Path.Combine(Folder, name);
        if (!File.Exists(path)) throw new FileNotFoundException($"Fashion-MNIST is not installed (Debian dataset-fashion-mnist): {path}");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        return buffer.ToArray()[(headerInts * 4)..];
    }
}
