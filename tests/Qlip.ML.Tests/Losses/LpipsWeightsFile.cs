using Qlip.ML.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Losses;

/// <summary>
/// Writes an LPIPS-VGG16 weights file with the official lpips names and shapes (torchvision vgg16.features indices in
/// net.slice1..5, 1×1 heads lin0..4.model.1) and seeded He-initialized values: the format of a real converted file.
/// </summary>
public static class LpipsWeightsFile
{
    // (slice, feature index, in, out) of every 3×3 conv in lpips' vgg16 slices.
    private static readonly (int Slice, int Index, int In, int Out)[] Convs =
    [
        (1, 0, 3, 64), (1, 2, 64, 64), (2, 5, 64, 128), (2, 7, 128, 128), (3, 10, 128, 256), (3, 12, 256, 256), (3, 14, 256, 256),
        (4, 17, 256, 512), (4, 19, 512, 512), (4, 21, 512, 512), (5, 24, 512, 512), (5, 26, 512, 512), (5, 28, 512, 512),
    ];

    private static readonly int[] HeadChannels = [64, 128, 256, 512, 512];

    /// <summary>Writes the file to <paramref name="path"/>; <paramref name="rename"/> maps a name to another (a broken file).</summary>
    public static void Write(string path, Func<string, string>? rename = null)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(7);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (slice, index, inChannels, outChannels) in Convs)
        {
            using var std = Math.Sqrt(2.0 / (9 * inChannels)).ToScalar();
            tensors[$"net.slice{slice}.{index}.weight"] = randn([outChannels, inChannels, 3, 3], generator: generator).mul(std);
            tensors[$"net.slice{slice}.{index}.bias"] = zeros(outChannels);
        }
        for (var l = 0; l < HeadChannels.Length; l++)
        {
            using var scale = (1.0 / HeadChannels[l]).ToScalar();
            tensors[$"lin{l}.model.1.weight"] = rand([1, HeadChannels[l], 1, 1], generator: generator).mul(scale);  // lpips heads are non-negative
        }
        tensors["scaling_layer.shift"] = tensor(new[] { -0.030f, -0.088f, -0.188f }).view(1, 3, 1, 1);
        tensors["scaling_layer.scale"] = tensor(new[] { 0.458f, 0.448f, 0.450f }).view(1, 3, 1, 1);
        SafetensorsWriter.Write(path, tensors.ToDictionary(kv => rename?.Invoke(kv.Key) ?? kv.Key, kv => kv.Value));
    }
}
