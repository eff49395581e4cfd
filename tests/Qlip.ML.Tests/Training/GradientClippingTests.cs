using Qlip.ML.Training.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

public class GradientClippingTests
{
    [Fact]
    public void Returns_the_pre_clip_norm_and_scales_to_the_limit()
    {
        var (a, b) = WithGradients();
        var norm = GradientClipping.ClipGlobalNorm([a, b], maxNorm: 1.0);
        Assert.Equal(5.0, norm, 6);  // √(3² + 0² + 4²)
        Assert.Equal(1.0, GradientClipping.GlobalNorm([a, b]), 5);
        Assert.Equal(new[] { 0.6f, 0f }, a.grad!.data<float>().ToArray().Select(x => MathF.Round(x, 5)));
    }

    [Fact]
    public void Leaves_gradients_below_the_limit_alone()
    {
        var (a, b) = WithGradients();
        Assert.Equal(5.0, GradientClipping.ClipGlobalNorm([a, b], maxNorm: 10.0), 6);
        Assert.Equal(new[] { 4f }, b.grad!.data<float>().ToArray());
    }

    private static (Parameter A, Parameter B) WithGradients()
    {
        var a = new Parameter(tensor(new float[] { 1, 1 }));
        var b = new Parameter(tensor(new float[] { 1 }));
        using var ca = tensor(new float[] { 3, 0 });
        using var cb = tensor(new float[] { 4 });
        ((a * ca).sum() + (b * cb).sum()).backward();  // ∂/∂a = (3, 0), ∂/∂b = 4
        return (a, b);
    }
}
