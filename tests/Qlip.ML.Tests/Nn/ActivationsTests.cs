using Qlip.ML.Nn;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Nn;

public class ActivationsTests
{
    private static readonly float[] Inputs = [-100f, -3f, -0.5f, 0f, 0.25f, 2f, 100f];

    [Fact]
    public void LeakyRelu_matches_libtorch()
    {
        using var x = tensor(Inputs);
        using var ours = Activations.LeakyRelu(x, 0.2);
        using var reference = nn.functional.leaky_relu(x, 0.2);
        Assert.Equal(reference.data<float>().ToArray(), ours.data<float>().ToArray());
    }

    [Fact]
    public void Softplus_matches_libtorch_and_stays_finite_at_the_extremes()
    {
        using var x = tensor(Inputs);
        using var ours = Activations.Softplus(x);
        using var reference = nn.functional.softplus(x);
        var (o, r) = (ours.data<float>().ToArray(), reference.data<float>().ToArray());
        for (var i = 0; i < Inputs.Length; i++) Assert.InRange(Math.Abs(r[i] - o[i]), 0f, 5e-6f);
        Assert.Equal(100f, o[^1]);          // log(1 + e^100) = 100 + log1p(e^-100) in fp32
        Assert.True(o[0] is > 0 and < 1e-30f); // e^-100, not 0 and not NaN
    }
}
