using Qlip.ML.Evaluation;
using Qlip.ML.Models;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.QlipRuns;
using Qlip.ML.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Stage1;

/// <summary>
/// <c>qlip-stage1</c>: QLIP trained from scratch with reconstruction, BSQ and alignment losses (spec §4). Per-module
/// peak lrs (vision encoder, text encoder, bottleneck + decoder), no weight decay on norms, biases, embeddings and the
/// logit scale, LAMB, warm-up + cosine, global clip; evaluated on held-out Fashion-MNIST and the packaged photos.
/// Hyperparameters (all optional): <c>alpha_r alpha_q alpha_a alpha_z optimizer lr lr_vision lr_text lr_decoder
/// weight_decay beta1 beta2 clip warmup_steps min_lr_ratio batch_size shuffle_buffer eval_images eval_photos</c>.
/// </summary>
public sealed class QlipStage1RunKind : QlipRunKind<QlipStage1Config>
{
    /// <summary>The kind's name.</summary>
    public const string KindName = "qlip-stage1";

    /// <inheritdoc />
    public override string Name => KindName;

    /// <inheritdoc />
    public override QlipStage1Config Configure(RunSpec spec, Hyperparameters hp)
    {
        var defaults = new QlipStage1Config { Settings = QlipRunSettings.Read(spec, hp, clipNorm: 5) };
        var weights = new QlipStage1Weights(
            hp.Double("alpha_r", defaults.Weights.Reconstruction), hp.Double("alpha_q", defaults.Weights.Quantizer),
            hp.Double("alpha_a", defaults.Weights.Alignment), hp.Double("alpha_z", defaults.Weights.Commitment));
        var optimizer = hp.String("optimizer", defaults.Optimizer);
        if (optimizer is not ("lamb" or "adamw")) throw new ArgumentException($"hyperparameter 'optimizer' = '{optimizer}': use lamb or adamw");
        return defaults with
        {
            Weights = weights,
            Optimizer = optimizer,
            Lr = hp.Double("lr", defaults.Lr),
            VisionLr = hp.Double("lr_vision", defaults.VisionLr),
            TextLr = hp.Double("lr_text", defaults.TextLr),
            DecoderLr = hp.Double("lr_decoder", defaults.DecoderLr),
        };
    }

    /// <inheritdoc />
    public override TrainingRun<ImageTextBatch> Create(QlipStage1Config config)
    {
        var settings = config.Settings;
        var device = new Device(settings.Device);
        var model = new QlipModel(settings.Model).to(device);
        var plan = new ParameterGroupBuilder(config.Lr, settings.WeightDecay)
            .LearningRate("vision_model.", config.VisionLr)
            .LearningRate("vision_model.quant_embed", config.DecoderLr)  // quant_embed and quant_embed_post: the bottleneck
            .LearningRate("vision_decoder.", config.DecoderLr)
            .LearningRate("text_model.", config.TextLr)
            .NoDecay("embedding", "logit_scale")
            .Build(model);
        GroupedOptimizer optimizer = config.Optimizer == "lamb"
            ? new LambOptimizer(plan.Groups, settings.Beta1, settings.Beta2)
            : new AdamWOptimizer(plan.Groups, settings.Beta1, settings.Beta2);
        return new TrainingRun<ImageTextBatch>(model, new QlipStage1Objective(model, config.Weights, device), optimizer,
            Schedule(settings), new QlipEvaluator(LoadEvaluationData(settings), device));
    }

    /// <inheritdoc />
    protected override QlipRunSettings Settings(QlipStage1Config config) => config.Settings;
}
