using Qlip.ML.Evaluation;
using Qlip.ML.Training;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Qlip.ML.Tests.Training;

/// <summary>
/// A complete run kind in one class, the way qlip-stage1/2 plug in: an MLP with dropout (so torch's RNG state
/// matters on resume) classifying Fashion-MNIST; cross-entropy plus a small logit penalty as two named terms;
/// test-set accuracy as evaluation.
/// </summary>
public sealed class ClassifierRunKind : IRunKind<ClassifierConfig, ImageBatch>
{
    public string Name => "test-fmnist-classifier";

    public TrainingRun<ImageBatch> Create(ClassifierConfig config)
    {
        var model = new Classifier(config.Hidden);
        var plan = new ParameterGroupBuilder(config.Lr, weightDecay: 0.05).LearningRate("head.", config.Lr / 2).Exclude("probe.").Build(model);
        GroupedOptimizer optimizer = config.Lamb ? new LambOptimizer(plan.Groups, 0.9, 0.95) : new AdamWOptimizer(plan.Groups, 0.9, 0.95);
        var probeOptimizer = config.Probe ? new AdamWOptimizer(new ParameterGroupBuilder(1e-3, 0).Build(model.probe).Groups) : null;
        return new TrainingRun<ImageBatch>(model, new Objective(model, probeOptimizer), optimizer,
            new WarmupCosineSchedule(WarmupSteps: 5, config.TotalSteps, FloorRatio: 0.1), new TestAccuracy(),
            probeOptimizer is null ? null : new Dictionary<string, GroupedOptimizer> { ["probe"] = probeOptimizer });
    }

    private sealed class Classifier : nn.Module<Tensor, Tensor>
    {
        private readonly Linear hidden;
        private readonly Dropout dropout = nn.Dropout(0.1);
        private readonly Linear head;
        public readonly Linear probe;

        public Classifier(int width) : base(nameof(Classifier))
        {
            hidden = nn.Linear(784, width);
            head = nn.Linear(width, 10);
            probe = nn.Linear(width, 10);
            RegisterComponents();
        }

        public override Tensor forward(Tensor images) => Classify(Features(images));

        public Tensor Features(Tensor images) => dropout.call(F.gelu(hidden.call(images.flatten(1))));  // (B, H)

        public Tensor Classify(Tensor features) => head.call(features);                                // (B, 10)
    }

    private sealed class Objective(Classifier model, GroupedOptimizer? probeOptimizer) : IObjective<ImageBatch>
    {
        public LossBreakdown Compute(ImageBatch batch, long step)
        {
            var features = model.Features(batch.Images);
            var logits = model.Classify(features);
            var ce = F.cross_entropy(logits, batch.Labels);
            var logitPenalty = logits.square().mean();
            var terms = new Dictionary<string, Tensor> { ["ce"] = ce, ["logit_l2"] = logitPenalty };
            if (probeOptimizer is not null)
            {
                // Like a discriminator step: its own optimizer, on detached inputs, before the main backward.
                probeOptimizer.ZeroGrad();
                var probeCe = F.cross_entropy(model.probe.call(features.detach()), batch.Labels);
                probeCe.backward();
                probeOptimizer.Step();
                terms["probe_ce"] = probeCe.detach();
            }
            return new LossBreakdown(ce + 1e-3 * logitPenalty, terms);
        }
    }

    private sealed class TestAccuracy : IEvaluator
    {
        public IReadOnlyDictionary<string, double> Evaluate(nn.Module model, long step, CancellationToken cancellationToken)
        {
            var (images, labels) = FashionMnistTestData.Slice(train: false, 0, 1000);
            var matrix = new ConfusionMatrix(10);
            matrix.Add(((Classifier)model).call(images / 255).argmax(1), labels);
            return new Dictionary<string, double> { ["accuracy"] = matrix.Accuracy };
        }
    }
}
