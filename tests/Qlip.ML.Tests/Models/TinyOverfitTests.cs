using System.Diagnostics;
using Qlip.ML.Configs;
using Qlip.ML.Imaging;
using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Tests.Support;
using Qlip.ML.Text;
using Qlip.Testing.Data;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Models;

/// <summary>
/// Overfitting one real batch (style §1.6): 32 Fashion-MNIST images (28 → 32 px) with template captions, the tiny
/// preset, stage-1 losses (MSE + InfoNCE + BSQ) and plain AdamW. Memorizing the batch must drive the reconstruction
/// error down ≥ 10× and make in-batch image→text retrieval perfect; a broken gradient path in any tower fails it.
/// </summary>
public class TinyOverfitTests(ITestOutputHelper output)
{
    private const int Images = 32;
    private const int Steps = 250;
    private const int ContextLength = 16; // the captions are ≤ 14 tokens; half the tiny preset's 32 halves the text cost
    private const double MseWeight = 10;  // the spec's α_r ≫ α_a, scaled down for AdamW on one batch

    [Fact]
    public void Tiny_model_overfits_32_real_images()
    {
        manual_seed(0);
        var threads = get_num_threads();
        set_num_threads(1); // a 64-wide model gains nothing from a second thread; on a busy machine it only spins
        try
        {
            Overfit();
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private void Overfit()
    {
        var batch = FashionBatch.Take(Images);
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny");
        var pixels = new ImagePreprocessor(ImagePreprocessConfig.Clip(config.Vision.ImageSize)).Preprocess(batch.Images); // (32, 3, 32, 32)
        var ids = ClipBpeTokenizer.Load(RealData.ClipBpeVocab).TokenizeBatch(batch.Captions, ContextLength);
        using var model = new QlipModel(config);
        var optimizer = optim.AdamW(model.parameters(), lr: 3e-3, beta1: 0.9, beta2: 0.95, weight_decay: 0);

        var watch = Stopwatch.StartNew();
        var initial = Evaluate(model, ids, pixels);
        model.train();
        for (var step = 0; step < Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var o = model.call(ids, pixels, null);
            var loss = MseWeight * ReconstructionLoss.Compute(o.Reconstructions, pixels) + ContrastiveLoss.Compute(o.LogitsPerImage)
                + o.Vision.Quantizer.Loss;
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        var final = Evaluate(model, ids, pixels);
        output.WriteLine($"{Steps} steps in {watch.Elapsed.TotalSeconds:F1} s; MSE {initial.Mse:F4} → {final.Mse:F4}; " +
            $"retrieval {initial.Retrieved}/{Images} → {final.Retrieved}/{Images}");

        // Identical captions (same class and template) cannot be told apart, so a hit is the right caption text.
        var misses = final.Best.Select((j, i) => (i, j: (int)j)).Where(p => batch.Captions[p.j] != batch.Captions[p.i]).ToList();
        Assert.True(final.Mse * 10 <= initial.Mse, $"MSE fell only from {initial.Mse:F4} to {final.Mse:F4}");
        Assert.True(misses.Count == 0, $"image→text misses: {string.Join("; ", misses.Select(m => $"{m.i} → '{batch.Captions[m.j]}'"))}");
    }

    private static (double Mse, int Retrieved, long[] Best) Evaluate(QlipModel model, Tensor ids, Tensor pixels)
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var o = model.call(ids, pixels, null);
        var best = o.LogitsPerImage.argmax(1).data<long>().ToArray();
        var retrieved = best.Select((j, i) => j == i).Count(hit => hit);
        return (ReconstructionLoss.Compute(o.Reconstructions, pixels).item<float>(), retrieved, best);
    }
}
