using Qlip.ML.Losses;
using Qlip.ML.Models;
using static TorchSharp.torch;

namespace Qlip.Bench;

/// <summary>The stage-1 forward and backward the benchmarks time: MSE + InfoNCE + BSQ on one batch.</summary>
internal static class TrainingStep
{
    /// <summary>Forward, loss and backward inside one dispose scope; returns the loss value.</summary>
    public static float ForwardBackward(QlipModel model, BenchBatch batch)
    {
        using var scope = NewDisposeScope();
        var o = model.call(batch.Ids, batch.Pixels, null);
        var loss = ReconstructionLoss.Compute(o.Reconstructions, batch.Pixels) + ContrastiveLoss.Compute(o.LogitsPerImage)
            + o.Vision.Quantizer.Loss;
        loss.backward();
        return loss.item<float>();
    }
}
