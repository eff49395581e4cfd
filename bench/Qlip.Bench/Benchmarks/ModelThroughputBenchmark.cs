using System.Globalization;
using System.Text;
using Qlip.ML.Configs;
using Qlip.ML.Models;
using static TorchSharp.torch;

namespace Qlip.Bench.Benchmarks;

/// <summary>
/// Issue 3's throughput targets: forward+backward of a preset (default small, batch 32) and encode-only (images → ids),
/// as images/s and achieved FLOP/s ÷ fp32 matmul FLOP/s measured in the same process, per thread count. FLOPs are
/// counted analytically per layer (<see cref="QlipFlops"/>), backward = 2× forward.
/// </summary>
internal sealed class ModelThroughputBenchmark : IBenchmark
{
    public string Name => "model-throughput";

    public string Description => "--preset small --batch 32 --threads 1,2 --steps 10 --warmup 3";

    public IReadOnlyList<string> Options => ThroughputOptions.Names;

    public string Run(BenchArgs args, TextWriter log)
    {
        var (preset, batchSize, threads, steps, warmup) = ThroughputOptions.Read(args);
        var config = QlipPresets.Load(preset);
        manual_seed(0);
        using var model = new QlipModel(config);
        using var batch = BenchBatch.Create(config, batchSize);
        var trainFlops = 3 * QlipFlops.Forward(config, batch.ContextLength) * batchSize;
        var encodeFlops = QlipFlops.Encode(config) * batchSize;

        var table = new StringBuilder()
            .AppendLine("| threads | fp32 matmul GFLOP/s | fwd+bwd images/s | fwd+bwd GFLOP/s | fwd+bwd ratio | encode images/s | encode GFLOP/s | encode ratio |")
            .AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        ThreadSweep.Run(threads, () =>
        {
            model.train();
            var train = StepTimer.Median(() => TrainingStep.ForwardBackward(model, batch), warmup, steps, reset: () => model.zero_grad());
            model.eval();
            return (Train: train, Encode: StepTimer.Median(() => Encode(model, batch), warmup, steps));
        }, (t, peak, time) =>
        {
            log.WriteLine($"threads {t}: peak {peak / 1e9:F1} GFLOP/s, fwd+bwd {time.Train * 1e3:F0} ms/step, encode {time.Encode * 1e3:F0} ms/batch");
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {t} | {peak / 1e9:F1} | {batchSize / time.Train:F1} | {trainFlops / time.Train / 1e9:F1} | {trainFlops / time.Train / peak:F2} | " +
                $"{batchSize / time.Encode:F1} | {encodeFlops / time.Encode / 1e9:F1} | {encodeFlops / time.Encode / peak:F2} |"));
        });
        return string.Create(CultureInfo.InvariantCulture,
            $"Preset `{preset}`, batch {batchSize}, text context {batch.ContextLength}; {model.parameters().Sum(p => p.numel()):N0} parameters. " +
            $"Forward FLOPs per pair (analytic, matmuls only): {QlipFlops.Forward(config, batch.ContextLength) / 1e6:F1} M; " +
            $"encode per image: {QlipFlops.Encode(config) / 1e6:F1} M; fwd+bwd = 3× forward. Median of {steps} timed steps after " +
            $"{warmup} warm-up steps; ratio = achieved FLOP/s ÷ best fp32 {1024}² matmul FLOP/s at the same thread count.\n\n") + table;
    }

    private static void Encode(QlipModel model, BenchBatch batch)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        model.Tokenize(batch.Pixels);
    }
}
