using Qlip.ML.Checkpoints;
using Qlip.ML.Evaluation;
using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.QlipRuns;
using Qlip.ML.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Stage2;

/// <summary>
/// <c>qlip-stage2</c>: from a stage-1 checkpoint, drop the text tower, freeze the vision encoder and train the bottleneck
/// and decoder with MSE + BSQ + perceptual + GAN against a PatchGAN with lazy R1 (spec §4). Generator AdamW
/// (β 0.9/0.95, wd 0.05, clip 1, lr 1e-4), discriminator AdamW (lr 1e-4, its state checkpointed as
/// <c>optimizer.discriminator.safetensors</c>), both on the warm-up + cosine factor. The perceptual network is
/// LPIPS-VGG16 when <c>perceptual_weights</c> names a weights file, else the frozen encoder's feature distance; the
/// report says which, and that zero-shot is not evaluated (no text tower).
/// Hyperparameters: <c>init_checkpoint</c> (local path) or <c>init_run</c> (run id) — one is required; optional
/// <c>perceptual_weights alpha_r alpha_q alpha_p alpha_g lr_decoder lr_disc disc_weight_decay disc_channels disc_layers
/// r1_gamma r1_every disc_start</c> and the shared <c>weight_decay beta1 beta2 clip warmup_steps min_lr_ratio batch_size
/// shuffle_buffer eval_images eval_photos</c>.
/// </summary>
public sealed class QlipStage2RunKind : QlipRunKind<QlipStage2Config>
{
    /// <summary>The kind's name.</summary>
    public const string KindName = "qlip-stage2";

    /// <summary>The name of the discriminator's optimizer in checkpoints.</summary>
    public const string DiscriminatorOptimizer = "discriminator";

    /// <inheritdoc />
    public override string Name => KindName;

    /// <inheritdoc />
    public override QlipStage2Config Configure(RunSpec spec, Hyperparameters hp)
    {
        var defaults = new QlipStage2Config { Settings = QlipRunSettings.Read(spec, hp, clipNorm: 1) };
        var initCheckpoint = hp.String("init_checkpoint", "");
        var initRun = hp.String("init_run", "");
        if ((initCheckpoint.Length == 0) == (initRun.Length == 0))
            throw new ArgumentException(initCheckpoint.Length == 0
                ? $"{KindName} starts from a stage-1 checkpoint: set init_checkpoint=<checkpoint folder or weights file> or init_run=<stage-1 run id>"
                : $"{KindName}: set only one of init_checkpoint and init_run");
        var weights = new QlipStage2Weights(hp.Double("alpha_r", defaults.Weights.Reconstruction), hp.Double("alpha_q", defaults.Weights.Quantizer),
            hp.Double("alpha_p", defaults.Weights.Perceptual), hp.Double("alpha_g", defaults.Weights.Adversarial));
        var gan = defaults.Gan with
        {
            Discriminator = defaults.Gan.Discriminator with
            {
                BaseChannels = hp.Int("disc_channels", defaults.Gan.Discriminator.BaseChannels),
                Layers = hp.Int("disc_layers", defaults.Gan.Discriminator.Layers),
            },
            Lr = hp.Double("lr_disc", defaults.Gan.Lr),
            WeightDecay = hp.Double("disc_weight_decay", defaults.Gan.WeightDecay),
            R1Gamma = hp.Double("r1_gamma", defaults.Gan.R1Gamma),
            R1Every = hp.Int("r1_every", defaults.Gan.R1Every),
            Start = hp.Long("disc_start", defaults.Gan.Start),
        };
        gan.Discriminator.Validate(defaults.Settings.Model.Vision.ImageSize);
        if (gan.R1Every < 1) throw new ArgumentException($"hyperparameter 'r1_every' = {gan.R1Every}: must be at least 1");
        var perceptualWeights = hp.String("perceptual_weights", "");
        return defaults with
        {
            Weights = weights,
            Gan = gan,
            DecoderLr = hp.Double("lr_decoder", defaults.DecoderLr),
            InitCheckpoint = initCheckpoint.Length > 0 ? initCheckpoint : null,
            InitRun = initRun.Length > 0 ? initRun : null,
            PerceptualWeights = perceptualWeights.Length > 0 ? perceptualWeights : null,
        };
    }

    /// <inheritdoc />
    protected override QlipStage2Config Bind(QlipStage2Config config, RunEnvironment environment, CancellationToken cancellationToken) =>
        config with { Init = InitCheckpointResolver.ResolveAsync(config, environment, cancellationToken).GetAwaiter().GetResult() };

    /// <inheritdoc />
    public override TrainingRun<ImageTextBatch> Create(QlipStage2Config config)
    {
        var settings = config.Settings;
        var init = config.Init ?? throw new InvalidOperationException("the init checkpoint is resolved before the run is built");
        var device = new Device(settings.Device);
        var model = new QlipStage2Model(settings.Model, config.Gan.Discriminator);
        LoadStage1(model, init);
        model.to(device);
        var generator = new ParameterGroupBuilder(config.DecoderLr, settings.WeightDecay)
            .Exclude(QlipStage2Model.DiscriminatorPrefix)
            .NoDecay("embedding")
            .Build(model);
        var discriminator = new ParameterGroupBuilder(config.Gan.Lr, config.Gan.WeightDecay).Build(model.Discriminator);
        var generatorOptimizer = new AdamWOptimizer(generator.Groups, settings.Beta1, settings.Beta2);
        var discriminatorOptimizer = new AdamWOptimizer(Prefixed(discriminator.Groups), settings.Beta1, settings.Beta2);
        var schedule = Schedule(settings);
        var perceptual = Perceptual(config, model, device);
        var objective = new QlipStage2Objective(model, config.Weights, config.Gan, perceptual, discriminatorOptimizer, schedule, device);
        return new TrainingRun<ImageTextBatch>(model, objective, generatorOptimizer, schedule,
            new QlipEvaluator(LoadEvaluationData(settings), device, zeroShot: false),
            new Dictionary<string, GroupedOptimizer> { [DiscriminatorOptimizer] = discriminatorOptimizer });
    }

    /// <inheritdoc />
    protected override QlipRunSettings Settings(QlipStage2Config config) => config.Settings;

    /// <summary>True: the generator's loss backpropagates through the discriminator's and the perceptual network's convs into x̂.</summary>
    protected override bool ConvolutionInputGradients(QlipStage2Config config) => true;

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Notes(QlipStage2Config config) => new Dictionary<string, string>
    {
        ["init checkpoint"] = config.Init?.Source ?? config.InitRun ?? config.InitCheckpoint ?? "",
        ["perceptual network"] = PerceptualDescription(config),
        ["frozen"] = $"vision encoder ({string.Join(", ", QlipStage2Model.FrozenPrefixes.Select(p => p.TrimEnd('.')))}): no gradients, eval mode, in no optimizer group",
        ["text tower"] = "dropped (the stage-2 model has no text_model, projections or logit scale)",
        ["zero-shot"] = "not evaluated: stage 2 has no text tower",
    };

    private static string PerceptualDescription(QlipStage2Config config) => config.PerceptualWeights is { } path
        ? LpipsVgg16.Describe(path)
        : EncoderFeatureDistance.Describe(config.Settings.Model.Vision.NumHiddenLayers);

    private static IPerceptualLoss Perceptual(QlipStage2Config config, QlipStage2Model model, Device device) =>
        config.PerceptualWeights is { } path
            ? LpipsVgg16.Load(path).to(device)
            : new EncoderFeatureDistance(model.VisionModel, config.Settings.Model.Vision.NumHiddenLayers);

    // Optimizer state is keyed by parameter name: use the model's names (discriminator.…), unique across both optimizers.
    private static List<ParameterGroup> Prefixed(IReadOnlyList<ParameterGroup> groups) => groups
        .Select(g => new ParameterGroup($"discriminator/{g.Name}",
            g.Parameters.Select(p => new NamedParameter(QlipStage2Model.DiscriminatorPrefix + p.Name, p.Parameter)).ToList(), g.PeakLr, g.WeightDecay))
        .ToList();

    // Stage-1 weights into the stage-2 model: every vision_model/vision_decoder tensor must be there; the text tower,
    // projections and logit scale are dropped; the discriminator keeps its fresh initialization.
    private static void LoadStage1(QlipStage2Model model, InitWeights init)
    {
        using var file = init.Open();
        var report = QlipCheckpoint.LoadWeights(model, file, strict: false);
        var missing = report.Missing.Where(n => !n.StartsWith(QlipStage2Model.DiscriminatorPrefix, StringComparison.Ordinal)).ToList();
        var unexpected = report.Unexpected.Where(n => !QlipStage2Model.DroppedPrefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal))).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"init checkpoint {init.Source} is not a QLIP checkpoint of this preset: missing [{string.Join(", ", missing)}], " +
                $"unexpected [{string.Join(", ", unexpected)}]");
    }
}
