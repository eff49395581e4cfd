using Qlip.Data.Captions;
using Qlip.Data.Images;
using Qlip.ML.Configs;
using Qlip.ML.Imaging;
using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Text;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Optim;
using Qlip.ML.Training.Stage1;
using Qlip.Testing.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training.Stage1;

/// <summary>The stage-1 objective on real Fashion-MNIST image-caption pairs with the tiny preset.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class QlipStage1ObjectiveTests
{
    private static readonly Lazy<ClipBpeTokenizer> Tokenizer = new(() => ClipBpeTokenizer.Load(RealData.ClipBpeVocab));

    /// <summary>The first <paramref name="count"/> training images with their template captions, as the model reads them.</summary>
    internal static ImageTextBatch RealBatch(QlipConfig config, int count, int offset = 0)
    {
        var set = RealData.FashionMnistTrain;
        var images = Enumerable.Range(offset, count).Select(i => RgbImage.FromGray(set.Width, set.Height, set.Image(i))).ToList();
        var captions = Enumerable.Range(offset, count).Select(i => CaptionTemplates.FashionMnist(set.Labels[i], i)).ToList();
        var pixels = new ImagePreprocessor(ImagePreprocessConfig.Clip(config.Vision.ImageSize)).Preprocess(images);
        return new ImageTextBatch(pixels, Tokenizer.Value.TokenizeBatch(captions, config.Text.MaxPositionEmbeddings),
            captions);
    }

    [Fact]
    public void Reconstruction_and_alignment_losses_fall_on_real_pairs()
    {
        manual_seed(7);
        var config = QlipPresets.Load("tiny");
        using var model = new QlipModel(config);
        using var batch = RealBatch(config, 16);
        var objective = new QlipStage1Objective(model, new QlipStage1Weights(Reconstruction: 1), CPU);
        var plan = new ParameterGroupBuilder(3e-3, 0.05).NoDecay("embedding", "logit_scale").Build(model);
        using var optimizer = new AdamWOptimizer(plan.Groups, 0.9, 0.95);
        var history = new List<(double Mse, double Align, double Total)>();
        for (var step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            var loss = objective.Compute(batch, step);
            history.Add((loss.Terms["mse"].ToDouble(), loss.Terms["align"].ToDouble(), loss.Total.ToDouble()));
            loss.Total.backward();
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        Assert.All(history, h => Assert.True(double.IsFinite(h.Total)));
        var (first, last) = (history.Take(3).ToList(), history.TakeLast(3).ToList());
        Assert.True(last.Average(h => h.Mse) < 0.6 * first.Average(h => h.Mse),
            $"MSE should fall by 40 %: {first.Average(h => h.Mse):F3} → {last.Average(h => h.Mse):F3}");
        Assert.True(last.Average(h => h.Align) < 0.8 * first.Average(h => h.Align),
            $"InfoNCE should fall by 20 %: {first.Average(h => h.Align):F3} → {last.Average(h => h.Align):F3}");
    }

    [Fact]
    public void Total_is_the_weighted_sum_and_the_logit_scale_is_capped_at_ln_100()
    {
        manual_seed(3);
        var config = QlipPresets.Load("tiny");
        using var model = new QlipModel(config);
        using var batch = RealBatch(config, 8);
        using (no_grad()) model.LogitScale.fill_(10.0);  // e^10 ≫ 100
        var weights = new QlipStage1Weights(Reconstruction: 7, Quantizer: 0.5, Alignment: 3, Commitment: 2);
        using var scope = NewDisposeScope();
        var loss = new QlipStage1Objective(model, weights, CPU).Compute(batch, 0);
        var t = loss.Terms.ToDictionary(kv => kv.Key, kv => kv.Value.ToDouble());
        Assert.Equal(7 * t["mse"] + 0.5 * t["bsq"] + 3 * t["align"] + 2 * t["commit"], loss.Total.ToDouble(), 3);

        var output = model.call(batch.InputIds, batch.Pixels, null);
        var capped = ContrastiveLoss.Compute(output.ImageEmbeds.matmul(output.TextEmbeds.t()) * 100).ToDouble();
        var uncapped = ContrastiveLoss.Compute(output.LogitsPerImage).ToDouble();
        Assert.Equal(capped, t["align"], 2);
        Assert.True(Math.Abs(uncapped - t["align"]) > 1, $"uncapped {uncapped:F3} vs used {t["align"]:F3}");
        Assert.Equal(output.Vision.Quantizer.Loss.ToDouble() - output.Vision.Quantizer.Commitment.ToDouble(), t["bsq"], 5);
    }
}
