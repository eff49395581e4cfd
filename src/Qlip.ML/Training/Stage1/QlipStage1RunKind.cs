using System.Globalization;
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
/// Hyperparameters (all optional): <c>alpha_r alpha_q alpha_a alpha_z calibrate probe_steps optimizer lr lr_vision lr_text
/// lr_decoder weight_decay beta1 beta2 clip warmup_steps min_lr_ratio batch_size shuffle_buffer eval_images eval_photos
/// precision</c>.
/// With <c>calibrate=true</c> two probe runs set α_r (and scale α_q, α_z with it) before training (<see cref="QlipStage1Calibration"/>); the result is
/// saved with every checkpoint, so a resumed run does not probe again.
/// </summary>
public sealed class QlipStage1RunKind : QlipRunKind<QlipStage1Config>
{
    /// <summary>The kind's name.</summary>
    public const string KindName = "qlip-stage1";

    private const string CalibrationValue = "calibration";

    /// <inheritdoc />
    public override string Name => KindName;

    /// <inheritdoc />
    public override QlipStage1Config Configure(RunSpec spec, Hyperparameters hp)
    {
        var defaults = new QlipStage1Config { Settings = QlipRunSettings.Read(spec, hp, clipNorm: 5) };
        var calibrate = hp.Bool("calibrate", defaults.Calibrate);
        if (calibrate && (hp.IsSet("alpha_r") || hp.IsSet("alpha_a")))
            throw new ArgumentException("hyperparameters 'calibrate=true' and 'alpha_r'/'alpha_a' conflict: calibration sets α_r from probe runs " +
                "(α_a stays at its default); give either calibrate=true or the weights");
        var probeSteps = hp.Int("probe_steps", defaults.ProbeSteps);
        if (calibrate && probeSteps < 4) throw new ArgumentException($"hyperparameter 'probe_steps' = {probeSteps}: a probe needs at least 4 steps");
        var weights = new QlipStage1Weights(
            calibrate ? defaults.Weights.Reconstruction : hp.Double("alpha_r", defaults.Weights.Reconstruction), hp.Double("alpha_q", defaults.Weights.Quantizer),
            hp.Double("alpha_a", defaults.Weights.Alignment), hp.Double("alpha_z", defaults.Weights.Commitment));
        var optimizer = hp.String("optimizer", defaults.Optimizer);
        if (optimizer is not ("lamb" or "adamw")) throw new ArgumentException($"hyperparameter 'optimizer' = '{optimizer}': use lamb or adamw");
        return defaults with
        {
            Weights = weights,
            Calibrate = calibrate,
            ProbeSteps = probeSteps,
            Optimizer = optimizer,
            Lr = hp.Double("lr", defaults.Lr),
            VisionLr = hp.Double("lr_vision", defaults.VisionLr),
            TextLr = hp.Double("lr_text", defaults.TextLr),
            DecoderLr = hp.Double("lr_decoder", defaults.DecoderLr),
        };
    }

    /// <inheritdoc />
    public override TrainingRun<ImageTextBatch> Create(QlipStage1Config config) => Build(config, evaluate: true);

    /// <summary>The run of a calibration probe: the same model, objective and optimizer, no evaluation data loaded.</summary>
    internal TrainingRun<ImageTextBatch> CreateProbe(QlipStage1Config config) => Build(config, evaluate: false);

    /// <summary>The kind's batch stream for <paramref name="config"/> (calibration probes open their own).</summary>
    internal IBatchSource<ImageTextBatch> OpenProbeData(QlipStage1Config config, RunStart start) => OpenData(config, start.Spec, start.Environment);

    private TrainingRun<ImageTextBatch> Build(QlipStage1Config config, bool evaluate)
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
            Schedule(settings), evaluate ? new QlipEvaluator(LoadEvaluationData(settings), device) : null);
    }

    /// <inheritdoc />
    protected override QlipRunSettings Settings(QlipStage1Config config) => config.Settings;

    /// <inheritdoc />
    protected override async Task<(QlipStage1Config Config, IReadOnlyDictionary<string, string> RunValues)> BeforeTrainingAsync(
        QlipStage1Config config, RunStart start, CancellationToken cancellationToken)
    {
        if (!config.Calibrate) return (config, start.SavedValues);
        var calibration = start.SavedValues.TryGetValue(CalibrationValue, out var saved)
            ? QlipStage1Calibration.FromJson(saved)
            : await QlipStage1Calibrator.RunAsync(this, config, start, cancellationToken);
        var values = new Dictionary<string, string>(start.SavedValues, StringComparer.Ordinal) { [CalibrationValue] = calibration.ToJson() };
        return (config with { Weights = calibration.Weights, Calibration = calibration }, values);
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Notes(QlipStage1Config config) => config.Calibration is { } c
        ? new Dictionary<string, string> { ["loss calibration"] = c.Note() }
        : new Dictionary<string, string> { ["loss weights"] = string.Create(CultureInfo.InvariantCulture,
            $"given: α_r = {config.Weights.Reconstruction:G4}, α_q = {config.Weights.Quantizer:G4}, α_a = {config.Weights.Alignment:G4}, α_z = {config.Weights.Commitment:G4}") };

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Sections(QlipStage1Config config) =>
        config.Calibration is { } c
            ? new Dictionary<string, IReadOnlyDictionary<string, double>> { [CalibrationValue] = c.Summary() }
            : new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <inheritdoc />
    protected override IReadOnlyList<ReportFigure> Figures(QlipStage1Config config) => config.Calibration is { } c ? [c.Figure()] : [];
}
