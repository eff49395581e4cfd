using Qlip.Data.Sets;
using Qlip.ML.Configs;
using Qlip.ML.Evaluation;
using Qlip.ML.Imaging;
using Qlip.ML.Models;
using Qlip.ML.Text;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Schedules;
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
public sealed class QlipStage1RunKind : RunKind<QlipStage1Config, ImageTextBatch>
{
    /// <summary>The kind's name.</summary>
    public const string KindName = "qlip-stage1";

    private readonly Lazy<ClipBpeTokenizer> tokenizer = new(ClipBpeTokenizer.LoadDefault);

    /// <inheritdoc />
    public override string Name => KindName;

    /// <inheritdoc />
    public override QlipStage1Config Configure(RunSpec spec, Hyperparameters hp)
    {
        var defaults = new QlipStage1Config { Model = QlipPresets.Load(spec.Preset), WarmupSteps = 0, TotalSteps = spec.MaxSteps };
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
            WeightDecay = hp.Double("weight_decay", defaults.WeightDecay),
            Beta1 = hp.Double("beta1", defaults.Beta1),
            Beta2 = hp.Double("beta2", defaults.Beta2),
            ClipNorm = hp.Double("clip", defaults.ClipNorm),
            // The paper warms up for 2k of ~100k+ steps; short runs warm up for 5 % of their budget.
            WarmupSteps = hp.Long("warmup_steps", Math.Min(2000, spec.MaxSteps / 20)),
            MinLrRatio = hp.Double("min_lr_ratio", defaults.MinLrRatio),
            BatchSize = hp.Int("batch_size", defaults.BatchSize),
            ShuffleBuffer = hp.Int("shuffle_buffer", defaults.ShuffleBuffer),
            EvalImages = hp.Int("eval_images", defaults.EvalImages),
            EvalPhotos = hp.Int("eval_photos", defaults.EvalPhotos),
            Device = ParseDevice(spec.Device),
        };
    }

    /// <inheritdoc />
    public override TrainingRun<ImageTextBatch> Create(QlipStage1Config config)
    {
        var device = new Device(config.Device);
        var model = new QlipModel(config.Model).to(device);
        var plan = new ParameterGroupBuilder(config.Lr, config.WeightDecay)
            .LearningRate("vision_model.", config.VisionLr)
            .LearningRate("vision_model.quant_embed", config.DecoderLr)  // quant_embed and quant_embed_post: the bottleneck
            .LearningRate("vision_decoder.", config.DecoderLr)
            .LearningRate("text_model.", config.TextLr)
            .NoDecay("embedding", "logit_scale")
            .Build(model);
        GroupedOptimizer optimizer = config.Optimizer == "lamb"
            ? new LambOptimizer(plan.Groups, config.Beta1, config.Beta2)
            : new AdamWOptimizer(plan.Groups, config.Beta1, config.Beta2);
        var evaluation = QlipEvaluationData.Load(DataPaths.Resolve(), config.Model.Vision.ImageSize, tokenizer.Value,
            config.Model.Text.MaxPositionEmbeddings, config.EvalImages, config.EvalPhotos);
        return new TrainingRun<ImageTextBatch>(model, new QlipStage1Objective(model, config.Weights, device), optimizer,
            new WarmupCosineSchedule(config.WarmupSteps, config.TotalSteps, config.MinLrRatio), new QlipEvaluator(evaluation, device));
    }

    /// <inheritdoc />
    protected override IBatchSource<ImageTextBatch> OpenData(QlipStage1Config config, RunSpec spec, RunEnvironment environment) =>
        new ShardBatchSource(environment.Data,
            new ShardBatchOptions(config.BatchSize, config.Model.Text.MaxPositionEmbeddings, config.ShuffleBuffer, spec.Seed),
            new ImagePreprocessor(ImagePreprocessConfig.Clip(config.Model.Vision.ImageSize)), tokenizer.Value);

    /// <inheritdoc />
    protected override double? ClipNorm(QlipStage1Config config) => config.ClipNorm;

    /// <summary><c>cpu</c> or <c>cuda</c>; cuda must be available.</summary>
    public static string ParseDevice(string device) => device switch
    {
        "cpu" => device,
        "cuda" when cuda.is_available() => device,
        "cuda" => throw new ArgumentException("device 'cuda' requested but CUDA is not available"),
        _ => throw new ArgumentException($"unknown device '{device}': use cpu or cuda"),
    };
}
