using Qlip.Data.Sets;
using Qlip.ML.Evaluation;
using Qlip.ML.Imaging;
using Qlip.ML.Text;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Schedules;

namespace Qlip.ML.Training.QlipRuns;

/// <summary>
/// The half QLIP's run kinds share: image-text batches from webdataset shards (CLIP preprocessing, BPE captions), the
/// held-out evaluation data (Fashion-MNIST test images, packaged photos), the warm-up + cosine schedule and the clip,
/// all from the kind's <see cref="QlipRunSettings"/>.
/// </summary>
public abstract class QlipRunKind<TConfig> : RunKind<TConfig, ImageTextBatch>
{
    private readonly Lazy<ClipBpeTokenizer> tokenizer = new(ClipBpeTokenizer.LoadDefault);

    /// <summary>The shared settings inside <paramref name="config"/>.</summary>
    protected abstract QlipRunSettings Settings(TConfig config);

    /// <inheritdoc />
    protected override IBatchSource<ImageTextBatch> OpenData(TConfig config, RunSpec spec, RunEnvironment environment)
    {
        var settings = Settings(config);
        return new ShardBatchSource(environment.Data,
            new ShardBatchOptions(settings.BatchSize, settings.Model.Text.MaxPositionEmbeddings, settings.ShuffleBuffer, spec.Seed),
            new ImagePreprocessor(ImagePreprocessConfig.Clip(settings.Model.Vision.ImageSize)), tokenizer.Value);
    }

    /// <inheritdoc />
    protected override double? ClipNorm(TConfig config) => Settings(config).ClipNorm;

    /// <inheritdoc />
    protected override TrainingPrecision Precision(TConfig config) => Settings(config).Precision;

    /// <summary>The held-out test images, prompts and photos at the model's resolution.</summary>
    protected QlipEvaluationData LoadEvaluationData(QlipRunSettings settings) =>
        QlipEvaluationData.Load(DataPaths.Resolve(), settings.Model.Vision.ImageSize, tokenizer.Value,
            settings.Model.Text.MaxPositionEmbeddings, settings.EvalImages, settings.EvalPhotos);

    /// <summary>Linear warm-up then cosine to the floor over the run's budget.</summary>
    protected static WarmupCosineSchedule Schedule(QlipRunSettings settings) =>
        new(settings.WarmupSteps, settings.TotalSteps, settings.MinLrRatio);
}
