using Qlip.ML.Nn;
using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Training.Data;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Stage1;

/// <summary>
/// The stage-1 loss (spec §4): α_r·MSE(x̂, x) + α_q·L_BSQ + α_a·InfoNCE + α_z·commitment, on CLIP-normalized pixels.
/// The logit scale enters the InfoNCE clamped to ≤ ln 100 (CLIP's cap on the inverse temperature). Terms are logged
/// unweighted, so runs with different weights compare. Weights enter as explicit scalars: an implicit double → Scalar
/// can be finalized by the GC while the native multiply still reads it.
/// </summary>
public sealed class QlipStage1Objective(QlipModel model, QlipStage1Weights weights, Device device) : IObjective<ImageTextBatch>
{
    /// <summary>ln 100: the largest logit scale the loss uses.</summary>
    public static readonly double MaxLogitScale = Math.Log(100);

    /// <inheritdoc />
    public LossBreakdown Compute(ImageTextBatch batch, long step)
    {
        var pixels = batch.Pixels.to(device);                                       // (B, 3, S, S)
        var output = model.call(batch.InputIds.to(device), pixels, null);
        // Similarities in fp32 whatever the model's dtype: near the cap of 100, bf16 logits would move in steps of 0.5.
        var scale = model.LogitScale.to_type(ScalarType.Float32).AtMost(MaxLogitScale).exp();
        var imageEmbeds = output.ImageEmbeds.to_type(ScalarType.Float32);          // (B, P)
        var textEmbeds = output.TextEmbeds.to_type(ScalarType.Float32);            // (B, P)
        var logitsPerImage = imageEmbeds.matmul(textEmbeds.t()) * scale;            // (B, B)

        var mse = ReconstructionLoss.Compute(output.Reconstructions, pixels);
        var align = ContrastiveLoss.Compute(logitsPerImage);
        var commitment = output.Vision.Quantizer.Commitment;
        var bsq = output.Vision.Quantizer.Loss - commitment;                        // (γ0·H_ps − γ1·H_cb)/τ
        var total = mse.Times(weights.Reconstruction).Plus(bsq.Times(weights.Quantizer)).Plus(align.Times(weights.Alignment)).Plus(commitment.Times(weights.Commitment));
        return new LossBreakdown(total, new Dictionary<string, Tensor>
        {
            ["mse"] = mse,
            ["bsq"] = bsq,
            ["align"] = align,
            ["commit"] = commitment,
        });
    }
}
