using Qlip.ML.Losses;
using Qlip.ML.Nn;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.Schedules;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Stage2;

/// <summary>
/// The stage-2 loss (spec §4): generator α_r·MSE + α_q·L_BSQ + α_p·perceptual + α_g·softplus(−D(x̂)), and on the same
/// batch a discriminator step softplus(−D(x)) + softplus(D(x̂)) + [step % k == 0]·k·γ/2·R1 (StyleGAN2's lazy R1, k = 16).
/// The discriminator steps first, inside <see cref="Compute"/>, on detached reconstructions; the generator's adversarial
/// term then uses the updated D and the trainer backpropagates the total. That backward also leaves gradients on D's
/// parameters, which D's own step zeroes before it uses them (so D's requires_grad never has to be toggled).
/// Logged terms are unweighted: <c>mse bsq commit perceptual gan_g gan_d r1</c>, plus <c>r1_applied</c> (1 on steps
/// that computed R1, else 0).
/// </summary>
public sealed class QlipStage2Objective(
    QlipStage2Model model, QlipStage2Weights weights, QlipStage2Gan gan, IPerceptualLoss perceptual,
    GroupedOptimizer discriminatorOptimizer, ILrSchedule schedule, Device device) : IObjective<ImageTextBatch>
{
    /// <inheritdoc />
    public LossBreakdown Compute(ImageTextBatch batch, long step)
    {
        var pixels = batch.Pixels.to(device);                                     // (B, 3, S, S)
        var output = model.call(pixels);
        var reconstructions = output.Reconstructions;                             // (B, 3, S, S)
        var mse = ReconstructionLoss.Compute(reconstructions, pixels);
        var bsq = output.Quantizer.Loss;
        var perceptualDistance = perceptual.Compute(reconstructions, pixels);
        var adversarial = step >= gan.Start;
        var (ganD, r1, r1Applied) = adversarial ? DiscriminatorStep(pixels, reconstructions.detach(), step) : (Zero(), Zero(), false);
        var ganG = adversarial ? AdversarialLoss.Generator(model.Discriminator.call(reconstructions)) : Zero();
        var total = mse.Times(weights.Reconstruction).Plus(bsq.Times(weights.Quantizer)).Plus(perceptualDistance.Times(weights.Perceptual))
            .Plus(ganG.Times(weights.Adversarial));
        return new LossBreakdown(total, new Dictionary<string, Tensor>
        {
            ["mse"] = mse,
            ["bsq"] = bsq,
            ["commit"] = output.Quantizer.Commitment,
            ["perceptual"] = perceptualDistance,
            ["gan_g"] = ganG,
            ["gan_d"] = ganD,
            ["r1"] = r1,
            ["r1_applied"] = tensor(r1Applied ? 1f : 0f),
        });
    }

    private (Tensor Loss, Tensor R1, bool Applied) DiscriminatorStep(Tensor reals, Tensor fakes, long step)
    {
        discriminatorOptimizer.SetLearningRates(schedule.Factor(step));
        discriminatorOptimizer.ZeroGrad();
        var applyR1 = step % gan.R1Every == 0;
        if (applyR1) reals = reals.detach().requires_grad_(true);
        var realLogits = model.Discriminator.call(reals);                       // (B, 1, P, P)
        var fakeLogits = model.Discriminator.call(fakes);                       // (B, 1, P, P)
        var loss = AdversarialLoss.Discriminator(realLogits, fakeLogits);
        var r1 = applyR1 ? AdversarialLoss.R1Penalty(realLogits, reals) : Zero();
        (applyR1 ? loss.Plus(r1.Times(gan.R1Gamma / 2 * gan.R1Every)) : loss).backward();
        discriminatorOptimizer.Step();
        discriminatorOptimizer.ZeroGrad();
        return (loss.detach(), r1.detach(), applyR1);
    }

    private Tensor Zero() => tensor(0f, device: device);
}
