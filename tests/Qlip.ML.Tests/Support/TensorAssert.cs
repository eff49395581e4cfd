using static TorchSharp.torch;

namespace Qlip.ML.Tests.Support;

/// <summary>Tensor comparisons whose failure message names the tensor, the worst element and the tolerance.</summary>
public static class TensorAssert
{
    /// <summary>|actual − expected| ≤ atol + rtol·|expected| everywhere, and equal shapes.</summary>
    public static void Close(Tensor expected, Tensor actual, double atol, double rtol = 0, string name = "tensor")
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{name}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        using var e = expected.detach().cpu().to_type(ScalarType.Float64);
        using var a = actual.detach().cpu().to_type(ScalarType.Float64);
        using var diff = (a - e).abs();
        using var excess = diff - (atol + rtol * e.abs());
        var worst = excess.numel() == 0 ? 0 : excess.max().item<double>();
        var maxDiff = diff.numel() == 0 ? 0 : diff.max().item<double>();
        Assert.True(worst <= 0 && !double.IsNaN(worst),
            $"{name}: max |diff| {maxDiff:G4} exceeds atol {atol:G3} + rtol {rtol:G3}·|expected|");
    }

    /// <summary>Exact equality of integer tensors (same shape, same values).</summary>
    public static void Equal(Tensor expected, Tensor actual, string name = "tensor")
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{name}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        using var e = expected.cpu().to_type(ScalarType.Int64);
        using var a = actual.cpu().to_type(ScalarType.Int64);
        using var ne = e.ne(a);
        var bad = ne.sum().item<long>();
        Assert.True(bad == 0, $"{name}: {bad} of {e.numel()} elements differ");
    }
}
