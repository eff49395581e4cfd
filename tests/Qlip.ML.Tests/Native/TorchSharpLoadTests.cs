using static TorchSharp.torch;

namespace Qlip.ML.Tests.Native;

/// <summary>Proves the GLIBCXX weak-version patch: libtorch loads and computes on this machine.</summary>
public class TorchSharpLoadTests
{
    [Fact]
    public void Libtorch_loads_and_multiplies_a_matrix()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var c = matmul(a, b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }
}
