using System.Globalization;
using System.Text;
using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.ML.Configs;
using Qlip.ML.Imaging;
using Qlip.ML.Inference;
using Qlip.ML.Models;
using static TorchSharp.torch;

namespace Qlip.Bench.Tokenize;

/// <summary>
/// Issue 5's tokenization figure: what the tokenize worker does per batch, <see cref="QlipPipeline.Encode(IReadOnlyList{RgbImage})"/>
/// on 256×256 RGB images (the size ingest writes; real photos and clip art), as images/s and achieved FLOP/s ÷ fp32
/// matmul FLOP/s measured in the same process, per thread count; the model-only encode of the same batch separates
/// what preprocessing (resize to the model's size, normalize) costs.
/// </summary>
internal sealed class TokenizeThroughputBenchmark : IBenchmark
{
    public string Name => "tokenize";

    public string Description => "--preset small --batch 32 --threads 1,2 --steps 10 --warmup 3 (QlipPipeline.Encode of 256² images)";

    public IReadOnlyList<string> Options => ThroughputOptions.Names;

    public string Run(BenchArgs args, TextWriter log)
    {
        var (preset, batchSize, threads, steps, warmup) = ThroughputOptions.Read(args);
        var config = QlipPresets.Load(preset);
        var images = Images(batchSize);
        manual_seed(0);
        using var pipeline = new QlipPipeline(new QlipModel(config), ImagePreprocessConfig.Clip(config.Vision.ImageSize),
            new QlipPipelineOptions { BatchSize = batchSize });
        using var pixels = pipeline.Preprocess(images);
        var flops = QlipFlops.Encode(config) * batchSize;
        var table = new StringBuilder()
            .AppendLine("| threads | fp32 matmul GFLOP/s | Encode(images) images/s | GFLOP/s | ratio | Encode(pixels) images/s | ratio | preprocessing share |")
            .AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        ThreadSweep.Run(threads,
            () => (Images: StepTimer.Median(() => pipeline.Encode(images).Ids.Dispose(), warmup, steps),
                   Pixels: StepTimer.Median(() => pipeline.Encode(pixels).Ids.Dispose(), warmup, steps)),
            (t, peak, time) =>
            {
                log.WriteLine($"threads {t}: peak {peak / 1e9:F1} GFLOP/s, Encode(images) {time.Images * 1e3:F0} ms, Encode(pixels) {time.Pixels * 1e3:F0} ms per batch");
                table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {t} | {peak / 1e9:F1} | {batchSize / time.Images:F1} | {flops / time.Images / 1e9:F1} | {flops / time.Images / peak:F2} | " +
                    $"{batchSize / time.Pixels:F1} | {flops / time.Pixels / peak:F2} | {(time.Images - time.Pixels) / time.Images:P0} |"));
            });
        return string.Create(CultureInfo.InvariantCulture,
            $"Preset `{preset}` ({config.Vision.ImageSize}² input, {config.Vision.GridSize}² tokens of {pipeline.Bits} bits), batch {batchSize} " +
            $"of 256×256 images (packaged photos and openclipart, centre-cropped as ingest does). Encode FLOPs per image (analytic, " +
            $"matmuls only): {QlipFlops.Encode(config) / 1e6:F1} M. Median of {steps} batches after {warmup} warm-up batches; " +
            $"ratio = achieved FLOP/s ÷ best fp32 1024² matmul FLOP/s at the same thread count. `Encode(images)` is the tokenize " +
            $"worker's call (resize + normalize + encoder + BSQ → ids); `Encode(pixels)` starts from preprocessed pixels.\n\n") + table;
    }

    private static List<RgbImage> Images(int count)
    {
        var paths = DataPaths.Resolve();
        var sources = paths.Photos().Concat(OpenClipartDataset.Load(paths, DataSplit.Train).Select(i => i.PngPath)).Take(count).ToList();
        if (sources.Count < count) throw new ArgumentException($"only {sources.Count} packaged images for --batch {count}");
        return [.. sources.Select(p => ImageResizer.Resize(ImageDecoder.Decode(File.ReadAllBytes(p)), 256, ResizeMode.CenterCrop))];
    }
}
