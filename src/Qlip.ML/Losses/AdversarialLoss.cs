using Qlip.ML.Nn;
using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>
/// The non-saturating GAN loss in softplus form (Goodfellow et al. 2014; spec §4, as BSQ-ViT and StyleGAN2 write it)
/// and the R1 gradient penalty on real images (Mescheder et al. 2018), which StyleGAN2 applies lazily.
/// </summary>
public static class AdversarialLoss
{
    /// <summary>Discriminator: E[softplus(−D(x))] + E[softplus(D(x̂))], from real and fake logits of any shape.</summary>
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits) =>
        Activations.Softplus(realLogits.neg()).mean().Plus(Activations.Softplus(fakeLogits).mean());

    /// <summary>Generator: E[softplus(−D(x̂))] (non-saturating: strong gradients while D rejects x̂).</summary>
    public static Tensor Generator(Tensor fakeLogits) => Activations.Softplus(fakeLogits.neg()).mean();

    /// <summary>
    /// R1 = E_x ‖∇_x Σ D(x)‖² (per image, then the batch mean), differentiable (create_graph) so the discriminator is
    /// penalized through it. <paramref name="reals"/> must require grad and <paramref name="realLogits"/> come from it.
    /// The caller weights it by γ/2 (and by the interval when applied lazily).
    /// </summary>
    public static Tensor R1Penalty(Tensor realLogits, Tensor reals)
    {
        var grad = autograd.grad([realLogits.sum()], [reals], retain_graph: true, create_graph: true)[0]; // (B, C, H, W); D's loss still backpropagates through realLogits
        return grad.Squared().sum([1, 2, 3]).mean();
    }
}
