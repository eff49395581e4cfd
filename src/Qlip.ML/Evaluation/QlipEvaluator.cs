using Qlip.ML.Nn;
using Qlip.ML.Models;
using Qlip.ML.Reporting;
using Qlip.ML.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Evaluation;

/// <summary>
/// Evaluates a QLIP model on <see cref="QlipEvaluationData"/> (spec §6): zero-shot top-1 with prompt templates
/// (<c>zeroshot/top1</c>), PSNR/SSIM on [0, 255] of the test images and of the photos (<c>recon/test/…</c>,
/// <c>recon/photos/…</c>), and codebook usage and entropy of the test images' tokens (<c>codebook/…</c>).
/// The model is any <see cref="IQlipAutoencoder"/>; zero-shot needs a <see cref="QlipModel"/> (stage 2 has no text
/// tower: it passes <c>zeroShot: false</c> and reports no zero-shot number).
/// It owns <paramref name="data"/>: disposing the evaluator frees the held-out tensors.
/// </summary>
public sealed class QlipEvaluator(QlipEvaluationData data, Device device, bool zeroShot = true) : IReportingEvaluator, IDisposable
{
    private const int Chunk = 256;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(nn.Module model, long step, CancellationToken cancellationToken)
    {
        var qlip = (IQlipAutoencoder)model;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (zeroShot) metrics["zeroshot/top1"] = ZeroShotTop1((QlipModel)model);
        cancellationToken.ThrowIfCancellationRequested();
        Reconstruction(qlip, data.TestPixels, "recon/test", metrics);
        Reconstruction(qlip, data.Photos, "recon/photos", metrics);
        var quantizer = qlip.Config.Vision.QuantizerCfg;
        var usage = new CodebookUsage(quantizer.EmbedDim, quantizer.GroupSize);
        foreach (var chunk in data.TestPixels.split(Chunk))
        {
            using var scope = NewDisposeScope();
            usage.Add(qlip.Tokenize(chunk.to(device)));
        }
        foreach (var (name, value) in usage.ToMetrics()) metrics[name] = value;
        return metrics;
    }

    /// <inheritdoc />
    public IReadOnlyList<ReportFigure> Figures(nn.Module model)
    {
        var qlip = (IQlipAutoencoder)model;
        var figures = new List<ReportFigure>
        {
            Grid(qlip, First(data.TestPixels, 16), "recon_test.png", "Fashion-MNIST test images (top) and their reconstructions (below)"),
            Grid(qlip, First(data.Photos, 8), "recon_photos.png", "Packaged photos resized (top) and their reconstructions (below)"),
        };
        if (!zeroShot) return figures;
        var matrix = new ConfusionMatrix(data.Prompts.ClassNames.Count);
        using (var scope = NewDisposeScope()) matrix.Add(ZeroShotPredictions((QlipModel)model).cpu(), data.TestLabels);
        figures.Add(new ReportFigure("zeroshot_confusion.png", $"Zero-shot confusion on {matrix.Total:N0} Fashion-MNIST test images (top-1 {matrix.Accuracy:P1})",
            ConfusionMatrixPlot.RenderPng(matrix, data.Prompts.ClassNames, "Zero-shot, Fashion-MNIST test")));
        return figures;
    }

    private static Tensor First(Tensor pixels, long count) => pixels.narrow(0, 0, Math.Min(count, pixels.shape[0]));

    private double ZeroShotTop1(QlipModel qlip)
    {
        using var scope = NewDisposeScope();
        return ZeroShotPredictions(qlip).eq(data.TestLabels.to(device)).to_type(ScalarType.Float64).mean().item<double>();
    }

    // (N) int64 predicted class of every test image; the caller owns the dispose scope.
    private Tensor ZeroShotPredictions(QlipModel qlip)
    {
        var (classes, templates, length) = (data.PromptIds.shape[0], data.PromptIds.shape[1], data.PromptIds.shape[2]);
        var text = qlip.EncodeText(data.PromptIds.view(classes * templates, length).to(device)).view(classes, templates, -1); // (C, T, P)
        var weights = ZeroShotClassifier.ClassWeights(text);                                                          // (C, P)
        var images = cat(data.TestPixels.split(Chunk).Select(c => qlip.EncodeImage(c.to(device))).ToArray(), 0);      // (N, P)
        return ZeroShotClassifier.Predict(images, weights);
    }

    private void Reconstruction(IQlipAutoencoder qlip, Tensor pixels, string prefix, Dictionary<string, double> metrics)
    {
        var psnr = new List<double>();
        var ssim = new List<double>();
        foreach (var chunk in pixels.split(Chunk))
        {
            using var scope = NewDisposeScope();
            var original = data.Postprocessor.Denormalize(chunk).Times(255L);                             // (B, 3, S, S) on [0, 255]
            var reconstruction = data.Postprocessor.Denormalize(qlip.Reconstruct(chunk.to(device)).cpu()).Times(255L);
            psnr.AddRange(PeakSignalToNoiseRatio.PerImage(original, reconstruction));
            ssim.AddRange(StructuralSimilarity.PerImage(original, reconstruction));
        }
        metrics[prefix + "/psnr"] = psnr.Average();
        metrics[prefix + "/ssim"] = ssim.Average();
    }

    private ReportFigure Grid(IQlipAutoencoder qlip, Tensor pixels, string name, string title)
    {
        using var scope = NewDisposeScope();
        var originals = data.Postprocessor.ToImages(pixels).Select(i => i.Pixels).ToList();
        var reconstructions = data.Postprocessor.ToImages(qlip.Reconstruct(pixels.to(device)).cpu()).Select(i => i.Pixels).ToList();
        var (height, width) = ((int)pixels.shape[2], (int)pixels.shape[3]);
        return new ReportFigure(name, title, ImageGrid.RenderComparisonPng(originals, reconstructions, width, height, 3, columns: 8,
            scale: Math.Max(1, 128 / width)));
    }

    /// <summary>Frees the evaluation data's tensors.</summary>
    public void Dispose() => data.Dispose();
}
