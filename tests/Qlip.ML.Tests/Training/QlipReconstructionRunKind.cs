using Qlip.ML.Configs;
using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Training;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.Schedules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Qlip.ML.Tests.Training;

/// <summary>
/// The real tiny QLIP trained for reconstruction only (stage 1 with α_a = α_q = 0, the calibration probe's shape):
/// LAMB with per-module learning rates, no decay for norms/biases/embeddings/logit scale. Fashion-MNIST's 28×28 gray
/// images are padded to 32×32 and repeated to 3 channels on [−1, 1]. The text tower gets no gradient, so LAMB skips it.
/// </summary>
public sealed class QlipReconstructionRunKind : IRunKind<long, ImageBatch>
{
    public string Name => "test-qlip-reconstruction";

    public TrainingRun<ImageBatch> Create(long totalSteps)
    {
        var model = new QlipModel(QlipPresets.Load("tiny"));
        var plan = new ParameterGroupBuilder(baseLr: 1e-2, weightDecay: 0.05)
            .LearningRate("vision_model.", 5e-3)
            .LearningRate("text_model.", 1e-4)
            .NoDecay("embedding", "logit_scale")
            .Build(model);
        return new TrainingRun<ImageBatch>(model, new Objective(model), new LambOptimizer(plan.Groups, 0.9, 0.95),
            new WarmupCosineSchedule(WarmupSteps: 3, totalSteps, FloorRatio: 0.1));
    }

    private sealed class Objective(QlipModel model) : IObjective<ImageBatch>
    {
        public LossBreakdown Compute(ImageBatch batch, long step)
        {
            var pixels = F.pad(batch.Images * 2 - 1, [2, 2, 2, 2], value: -1).expand(-1, 3, -1, -1);  // (B, 3, 32, 32)
            var mse = ReconstructionLoss.Compute(model.Reconstruct(pixels), pixels);
            return new LossBreakdown(mse, new Dictionary<string, Tensor> { ["mse"] = mse });
        }
    }
}
