using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Native;
using Qlip.ML.Tests.Training;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Losses;

/// <summary>The PatchGAN, the softplus GAN losses and R1 on real Fashion-MNIST images.</summary>
public sealed class AdversarialLossTests
{
    private static Tensor Images(int count)
    {
        var (images, _) = FashionMnistTestData.Slice(train: false, 0, count);                 // (B, 1, 28, 28) on [0, 255]
        return nn.functional.pad(images.div(tensor(127.5f)).sub(tensor(1f)), [2, 2, 2, 2]).expand(-1, 3, -1, -1).contiguous(); // (B, 3, 32, 32)
    }

    [Fact]
    public void The_patch_discriminator_gives_one_logit_per_patch()
    {
        using var scope = NewDisposeScope();
        using var d = new PatchDiscriminator(new PatchDiscriminatorConfig { BaseChannels = 16 }, 32);
        Assert.Equal([4L, 1, 2, 2], d.call(Images(4)).shape);
        using var full = new PatchDiscriminator(new PatchDiscriminatorConfig(), 256);
        Assert.Equal([1L, 1, 30, 30], full.call(zeros(1, 3, 256, 256)).shape);  // pix2pix's 30×30 patches at 256 pixels
    }

    [Fact]
    public void R1_is_the_squared_input_gradient_and_is_differentiable_in_the_discriminator()
    {
        using var scope = NewDisposeScope();
        using var convolutions = LibTorchBackends.ReferenceConvolutions();  // gradients into conv inputs, as stage 2 trains them
        manual_seed(1);
        using var d = new PatchDiscriminator(new PatchDiscriminatorConfig { BaseChannels = 16 }, 32);
        var reals = Images(4).requires_grad_(true);
        var logits = d.call(reals);
        var r1 = AdversarialLoss.R1Penalty(logits, reals);
        var loss = AdversarialLoss.Discriminator(logits, d.call(Images(4).flip(3)));
        Assert.True(double.IsFinite(r1.item<float>()) && r1.item<float>() > 0, $"r1 = {r1.item<float>()}");
        Assert.True(double.IsFinite(loss.item<float>()));
        (loss + r1).backward();
        foreach (var (name, p) in d.named_parameters())
            Assert.True(p.grad is not null && isfinite(p.grad).all().item<bool>() && p.grad.abs().sum().item<float>() > 0, $"{name}: grad {p.grad?.abs().sum().item<float>()}");
    }
}
