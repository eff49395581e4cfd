using System.Globalization;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage1;

namespace Qlip.Bench.Training;

/// <summary>
/// A real stage-1 run (<c>qlip-stage1</c>, the trainer, LAMB, the prefetching shard source) on webdataset shards made
/// from a packaged set, measuring two things in one run: the data-wait fraction (time the loop waits for its next
/// batch ÷ step time; target &lt; 10 %) and whether memory stays flat (VmRSS, which includes libtorch's native
/// allocations, at the first logged step, after warm-up and at the end).
/// </summary>
internal sealed class TrainingRunBenchmark : IBenchmark
{
    public string Name => "training";

    public string Description => "--preset small --batch 8 --steps 1000 --source openclipart --samples 2000 (data wait, RSS drift)";

    public IReadOnlyList<string> Options => ["preset", "batch", "steps", "source", "samples"];

    public string Run(BenchArgs args, TextWriter log) => RunAsync(args, log).GetAwaiter().GetResult();

    private static async Task<string> RunAsync(BenchArgs args, TextWriter log)
    {
        var (preset, batch, steps) = (args.String("preset", "small"), args.Int("batch", 8), args.Int("steps", 1000));
        var (source, samples) = (args.String("source", "openclipart"), args.Int("samples", 2000));
        const int logEvery = 10;
        var warmup = Math.Max(10 * logEvery, steps / 10);
        if (steps <= warmup) throw new ArgumentException($"--steps must exceed the warm-up of {warmup} steps");
        var root = Directory.CreateTempSubdirectory("qlip-bench-training-").FullName;
        try
        {
            log.WriteLine($"making {samples} {source} samples as webdataset shards…");
            var shards = Path.Combine(root, "shards");
            await DataMaker.MakeAsync(new DataMakeOptions(source, DataSplit.Train, 500, shards) { Limit = samples }, DataPaths.Resolve());
            var spec = new RunSpec("bench", QlipStage1RunKind.KindName, preset)
            {
                MaxSteps = steps,
                Deterministic = true, // one intra-op thread: on a shared 2-core machine two OpenMP workers mostly wait on each other
                Hyperparameters = new Dictionary<string, string>
                {
                    ["batch_size"] = batch.ToString(CultureInfo.InvariantCulture), ["log_every"] = logEvery.ToString(CultureInfo.InvariantCulture),
                    ["checkpoint_every"] = steps.ToString(CultureInfo.InvariantCulture), ["eval_images"] = "16", ["eval_photos"] = "1",
                },
            };
            var memory = new MemorySampler(log);
            var environment = new RunEnvironment(LocalShardStore.Open(shards), new LocalFolderCheckpointStore(Path.Combine(root, "ckpt")), memory,
                new LocalFolderRunArtifacts(Path.Combine(root, "out")));
            // A run that dies part-way (e.g. libtorch's "toFloat" Scalar crash) still reports what it measured up to there.
            string stopped = "";
            double? runWait = null;
            try
            {
                runWait = (await RunKinds.Create().Get(spec.Kind).RunAsync(spec, environment, CancellationToken.None)).DataWaitFraction;
            }
            catch (Exception e) when (e is not ArgumentException && memory.Rows.Count > 1)
            {
                stopped = $"\n\n**The run stopped after step {memory.Rows[^1].Step} of {steps}**: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }

            var rows = memory.Rows;
            var (first, last) = (rows[0], rows[^1]);
            var settled = rows.FirstOrDefault(r => r.Step >= warmup) ?? last;
            var waits = rows.Select(r => r.DataWait).Order().ToList();
            var msPerStep = rows.Select(r => r.MsPerStep).Order().ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"`qlip-stage1` on `{preset}`, batch {batch}, {last.Step} steps (LAMB, 1 intra-op thread), {samples} {source} " +
                $"samples in webdataset shards of 500 read through `PrefetchingBatchSource` (3 batches ahead) → `ShardBatchSource` " +
                $"(PNG decode, resize, CLIP BPE). Logged every {logEvery} steps; warm-up = first {warmup} steps.\n\n" +
                $"| data-wait fraction (whole run) | per logged step: median | p90 | ms/step median |\n|---:|---:|---:|---:|\n" +
                $"| {(runWait is { } w ? w.ToString("P1", CultureInfo.InvariantCulture) : "—")} | {waits[waits.Count / 2]:P1} | {waits[waits.Count * 9 / 10]:P1} | {msPerStep[msPerStep.Count / 2]:F0} |\n\n" +
                $"| RSS at step {first.Step} | at step {settled.Step} | at step {last.Step} | peak | drift {first.Step}→{last.Step} | drift {settled.Step}→{last.Step} | managed heap {first.Step} → {last.Step} |\n" +
                $"|---:|---:|---:|---:|---:|---:|---:|\n" +
                $"| {ProcessMemory.Mib(first.Rss)} | {ProcessMemory.Mib(settled.Rss)} | {ProcessMemory.Mib(last.Rss)} | " +
                $"{ProcessMemory.Mib(rows.Max(r => r.Rss))} | {100.0 * (last.Rss - first.Rss) / first.Rss:+0.00;-0.00} % | " +
                $"{100.0 * (last.Rss - settled.Rss) / settled.Rss:+0.00;-0.00} % | {ProcessMemory.Mib(first.Managed)} → {ProcessMemory.Mib(last.Managed)} |{stopped}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Sample(long Step, long Rss, long Managed, double DataWait, double MsPerStep);

    // Records RSS with each train row, on the training thread, right after the step that row describes.
    private sealed class MemorySampler(TextWriter log) : IMetricsSink
    {
        private readonly List<Sample> rows = [];

        public IReadOnlyList<Sample> Rows => rows;

        public void Write(MetricsRow row)
        {
            if (row.Kind != MetricsRow.Train) return;
            var sample = new Sample(row.Step, ProcessMemory.Rss(), GC.GetTotalMemory(false), row.Values["data_wait_frac"], row.Values["ms_per_step"]);
            rows.Add(sample);
            if (row.Step % 50 == 0)
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"step {row.Step}: {sample.MsPerStep:F0} ms/step, data wait {sample.DataWait:P1}, RSS {ProcessMemory.Mib(sample.Rss)}"));
        }
    }
}
