using System.Globalization;
using Qlip.ML.Configs;
using Qlip.ML.Models;
using static TorchSharp.torch;

namespace Qlip.Bench.Benchmarks;

/// <summary>
/// Resident memory over N full training steps (forward, backward, AdamW step, one dispose scope per step): after a
/// warm-up (optimizer state allocated, allocator pools filled) RSS must stay flat (issue 3: ≤ 5 % growth over 500 steps).
/// </summary>
internal sealed class MemoryBenchmark : IBenchmark
{
    public string Name => "memory";

    public string Description => "--preset small --batch 32 --steps 500 --threads 1 (RSS growth after warm-up)";

    public IReadOnlyList<string> Options => ["preset", "batch", "steps", "threads"];

    public string Run(BenchArgs args, TextWriter log)
    {
        var preset = args.String("preset", "small");
        var batchSize = args.Int("batch", 32);
        var steps = args.Int("steps", 500);
        var threads = args.Int("threads", 1);
        var warmup = Math.Max(20, steps / 10);
        if (steps <= warmup) throw new ArgumentException($"--steps must exceed the warm-up of {warmup} steps");
        var config = QlipPresets.Load(preset);
        var defaultThreads = get_num_threads();
        set_num_threads(threads);
        try
        {
            manual_seed(0);
            using var model = new QlipModel(config);
            using var batch = BenchBatch.Create(config, batchSize);
            var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
            model.train();
            var rss = new long[steps];
            var start = ProcessMemory.Rss();
            for (var step = 0; step < steps; step++)
            {
                optimizer.zero_grad();
                TrainingStep.ForwardBackward(model, batch);
                optimizer.step();
                rss[step] = ProcessMemory.Rss();
                if ((step + 1) % 50 == 0) log.WriteLine($"step {step + 1}: RSS {rss[step] / 1048576.0:F1} MiB");
            }
            var afterWarmup = rss[warmup - 1];
            var last = rss[^1];
            var peak = rss.Max();
            return string.Create(CultureInfo.InvariantCulture,
                $"Preset `{preset}`, batch {batchSize}, {threads} threads, {steps} training steps (forward, backward, AdamW), " +
                $"warm-up {warmup} steps.\n\n" +
                $"| RSS before | after warm-up | at the end | peak | growth after warm-up |\n|---:|---:|---:|---:|---:|\n" +
                $"| {ProcessMemory.Mib(start)} | {ProcessMemory.Mib(afterWarmup)} | {ProcessMemory.Mib(last)} | {ProcessMemory.Mib(peak)} | {100.0 * (last - afterWarmup) / afterWarmup:F2} % |");
        }
        finally
        {
            set_num_threads(defaultThreads);
        }
    }
}
