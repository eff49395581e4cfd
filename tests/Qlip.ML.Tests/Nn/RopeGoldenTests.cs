using Qlip.ML.Nn;
using Qlip.ML.Tests.Support;
using Qlip.Testing.Golden;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Nn;

/// <summary>Rope2d against the reference VisionRotaryEmbeddingFast (golden README §3): buffers atol 1e-6, outputs 1e-5.</summary>
public class RopeGoldenTests
{
    [GoldenTheory]
    [InlineData(16)]
    [InlineData(8)]
    [InlineData(28)]
    public void Tables_match_the_reference(int grid)
    {
        using var golden = GoldenTensors.Open($"rope2d/rope_hd64_ft{grid}");
        using var rope = new Rope2d(headDim: 64, gridSize: grid);
        TensorAssert.Close(golden["freqs_cos"], rope.FreqsCos, 1e-6, name: "freqs_cos");
        TensorAssert.Close(golden["freqs_sin"], rope.FreqsSin, 1e-6, name: "freqs_sin");
    }

    [GoldenTheory]
    [InlineData(16)]
    [InlineData(8)]
    public void Rotation_matches_the_reference_with_and_without_the_cls_shift(int grid)
    {
        using var scope = NewDisposeScope();
        using var golden = GoldenTensors.Open($"rope2d/rope_hd64_ft{grid}");
        using var rope = new Rope2d(headDim: 64, gridSize: grid);
        TensorAssert.Close(golden["y_shift0"], rope.Rotate(golden["x_shift0"], 0), 1e-5, name: "y_shift0");
        TensorAssert.Close(golden["y_shift1"], rope.Rotate(golden["x_shift1"], 1), 1e-5, name: "y_shift1");
    }
}
