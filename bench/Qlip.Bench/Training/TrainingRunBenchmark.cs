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
/// allocations, at the first logged step, after warm-up and at the end). With <c>--precision both</c> it trains
/// fp32 and bf16 (fp32 master weights) runs alternately in one process, <c>--rounds</c> times, and compares their
/// images/s round by round, with the share of a bf16 step spent copying between the masters and the bf16 copy.
/// </summary>
internal sealed class TrainingRunBenchmark : IBenchmark
{
    public string Name => "training";

    public string Description => "--preset small --batch 8 --steps 1000 --source openclipart --samples 2000 --log-every 10 " +
        "--precision fp32|bf16|both --rounds 2 (data wait, RSS drift; both: bf16 vs fp32 images/s)";

    public IReadOnlyList<string> Options => ["preset", "batch", "steps", "source", "samples", "log-every", "precision", "rounds"];

    // The comparison is its own section: it must not replace the long single run's data-wait and RSS numbers.
    public string Section(BenchArgs args) => Precisions(args).Count > 1 ? "training: bf16 vs fp32" : Name;

    public string Run(BenchArgs args, TextWriter log) => RunAsync(args, log).GetAwaiter().GetResult();

    private static IReadOnlyList<string> Precisions(BenchArgs args) => args.String("precision", "fp32") switch
    {
        "both" => ["fp32", "bf16"],
        "fp32" or "bf16" => [args.String("precision", "fp32")],
        var other => throw new ArgumentException($"--precision must be fp32, bf16 or both, got '{other}'"),
    };

    private static async Task<string> RunAsync(BenchArgs args, TextWriter log)
    {
        var (preset, batch, steps) = (args.String("preset", "small"), args.Int("batch", 8), args.Int("steps", 1000));
        var (source, samples, logEvery) = (args.String("source", "openclipart"), args.Int("samples", 2000), args.Int("log-every", 10));
        var precisions = Precisions(args);
        var rounds = precisions.Count > 1 ? args.Int("rounds", 2) : 1;
        var warmup = Math.Max(10 * logEvery, steps / 10);
        if (steps <= warmup) throw new ArgumentException($"--steps must exceed the warm-up of {warmup} steps");
        var root = Directory.CreateTempSubdirectory("qlip-bench-training-").FullName;
        try
        {
            log.WriteLine($"making {samples} {source} samples as webdataset shards…");
            var shards = Path.Combine(root, "shards");
            await DataMaker.MakeAsync(new DataMakeOptions(source, DataSplit.Train, 500, shards) { Limit = samples }, DataPaths.Resolve());
            var runs = new List<Measured>();
            // A B, B A, A B, …: a load that drifts during a round penalizes each precision in turn.
            for (var round = 1; round <= rounds; round++)
            foreach (var precision in round % 2 == 1 ? precisions : precisions.Reverse())
            {
                log.WriteLine($"round {round}: {precision}");
                runs.Add(await TrainAsync(Path.Combine(root, $"{round}-{precision}"), shards, preset, batch, steps, logEvery, precision, round, log));
            }
            var setup = string.Create(CultureInfo.InvariantCulture,
                $"`qlip-stage1` on `{preset}`, batch {batch}, {steps} steps per run (LAMB, 1 intra-op thread), {samples} {source} " +
                $"samples in webdataset shards of 500 read through `PrefetchingBatchSource` (3 batches ahead) → `ShardBatchSource` " +
                $"(PNG decode, resize, CLIP BPE). Logged every {logEvery} steps; warm-up = first {warmup} steps.");
            return runs.Count == 1 ? setup + "\n\n" + Detail(runs[0], warmup) : setup + "\n\n" + Comparison(runs, warmup, batch);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<Measured> TrainAsync(string folder, string shards, string preset, int batch, int steps, int logEvery, string precision,
        int round, TextWriter log)
    {
        var spec = new RunSpec("bench", QlipStage1RunKind.KindName, preset)
        {
            MaxSteps = steps,
            Deterministic = true, // one intra-op thread: on a shared 2-core machine two OpenMP workers mostly wait on each other
            Hyperparameters = new Dictionary<string, string>
            {
                ["batch_size"] = batch.ToString(CultureInfo.InvariantCulture), ["log_every"] = logEvery.ToString(CultureInfo.InvariantCulture),
                ["checkpoint_every"] = steps.ToString(CultureInfo.InvariantCulture), ["eval_images"] = "16", ["eval_photos"] = "1",
                ["precision"] = precision,
            },
        };
        var memory = new MemorySampler(log);
        var environment = new RunEnvironment(LocalShardStore.Open(shards), new LocalFolderCheckpointStore(Path.Combine(folder, "ckpt")), memory,
            new LocalFolderRunArtifacts(Path.Combine(folder, "out")));
        // A run that dies part-way (e.g. libtorch's "toFloat" Scalar crash) still reports what it measured up to there.
        try
        {
            var wait = (await RunKinds.Create().Get(spec.Kind).RunAsync(spec, environment, CancellationToken.None)).DataWaitFraction;
            return new Measured(precision, round, memory.Rows, wait, "");
        }
        catch (Exception e) when (e is not ArgumentException && memory.Rows.Count > 1)
        {
            return new Measured(precision, round, memory.Rows, null,
                $"**The {precision} run stopped after step {memory.Rows[^1].Step} of {steps}**: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }

    // The single run: data wait and memory drift.
    private static string Detail(Measured run, int warmup)
    {
        var rows = run.Rows;
        var (first, last) = (rows[0], rows[^1]);
        var settled = rows.FirstOrDefault(r => r.Step >= warmup) ?? last;
        var waits = rows.Select(r => r.DataWait).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"Precision {run.Precision}.\n\n" +
            $"| data-wait fraction (whole run) | per logged step: median | p90 | ms/step median |\n|---:|---:|---:|---:|\n" +
            $"| {(run.Wait is { } w ? w.ToString("P1", CultureInfo.InvariantCulture) : "—")} | {waits[waits.Count / 2]:P1} | {waits[waits.Count * 9 / 10]:P1} | {Median(rows, r => r.MsPerStep):F0} |\n\n" +
            $"| RSS at step {first.Step} | at step {settled.Step} | at step {last.Step} | peak | drift {first.Step}→{last.Step} | drift {settled.Step}→{last.Step} | managed heap {first.Step} → {last.Step} |\n" +
            $"|---:|---:|---:|---:|---:|---:|---:|\n" +
            $"| {ProcessMemory.Mib(first.Rss)} | {ProcessMemory.Mib(settled.Rss)} | {ProcessMemory.Mib(last.Rss)} | " +
            $"{ProcessMemory.Mib(rows.Max(r => r.Rss))} | {100.0 * (last.Rss - first.Rss) / first.Rss:+0.00;-0.00} % | " +
            $"{100.0 * (last.Rss - settled.Rss) / settled.Rss:+0.00;-0.00} % | {ProcessMemory.Mib(first.Managed)} → {ProcessMemory.Mib(last.Managed)} |" +
            $"{(run.Stopped.Length > 0 ? "\n\n" + run.Stopped : "")}");
    }

    // fp32 and bf16 runs alternated: each round's bf16 ÷ fp32 rates are measured under the same load, in wall time and
    // in CPU time of the training thread (which the load barely moves).
    private static string Comparison(IReadOnlyList<Measured> runs, int warmup, int batch)
    {
        var table = new System.Text.StringBuilder(
            "| round | precision | images/s (median) | images per CPU-second | ms/step (median) | data wait (median) | " +
            "master-weight copies (share of step, median) | loss at the end | RSS at the end |\n" +
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var run in runs)
        {
            var settled = Settled(run, warmup);
            var copies = run.Precision == "bf16" ? Median(settled, r => r.CopyFraction).ToString("P1", CultureInfo.InvariantCulture) : "—";
            table.Append(CultureInfo.InvariantCulture,
                $"| {run.Round} | {run.Precision} | {Median(settled, r => r.ImagesPerSecond):F2} | {PerCpuSecond(settled, batch):F2} | {Median(settled, r => r.MsPerStep):F0} | " +
                $"{Median(settled, r => r.DataWait):P1} | {copies} | {run.Rows[^1].Loss:F3} | {ProcessMemory.Mib(run.Rows[^1].Rss)} |\n");
        }
        string Ratios(Func<IReadOnlyList<Sample>, double> rate)
        {
            var ratios = runs.GroupBy(r => r.Round).Select(round => rate(Settled(round.Single(r => r.Precision == "bf16"), warmup))
                / rate(Settled(round.Single(r => r.Precision == "fp32"), warmup))).ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} (median {ratios.Order().ElementAt(ratios.Count / 2):F2})");
        }
        var stopped = string.Join("\n\n", runs.Where(r => r.Stopped.Length > 0).Select(r => r.Stopped));
        return string.Create(CultureInfo.InvariantCulture,
            $"Runs in the order {string.Join(", ", runs.Select(r => r.Precision))} in one process; medians over the logged steps after the warm-up. " +
            $"Images per CPU-second: from the training thread's CPU time (/proc/thread-self/stat) over the same steps. " +
            $"Master-weight copies: adding the bf16 gradients into the fp32 masters' and copying the updated weights back.\n\n" +
            $"{table}\n**bf16 ÷ fp32**, per round: images/s {Ratios(rows => Median(rows, r => r.ImagesPerSecond))}; " +
            $"images per CPU-second {Ratios(rows => PerCpuSecond(rows, batch))}" +
            $"{(stopped.Length > 0 ? "\n\n" + stopped : "")}");
    }

    // Images trained per second of the training thread's CPU time between the first and last of these rows.
    private static double PerCpuSecond(IReadOnlyList<Sample> rows, int batch) =>
        (rows[^1].Step - rows[0].Step) * batch / Math.Max(rows[^1].ThreadCpuSeconds - rows[0].ThreadCpuSeconds, 0.01);

    // The logged steps after the warm-up (all of them when a run stopped before its warm-up ended).
    private static IReadOnlyList<Sample> Settled(Measured run, int warmup) =>
        run.Rows.Any(r => r.Step > warmup) ? [.. run.Rows.Where(r => r.Step > warmup)] : run.Rows;

    private static double Median(IReadOnlyList<Sample> rows, Func<Sample, double> value)
    {
        var sorted = rows.Select(value).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed record Measured(string Precision, int Round, IReadOnlyList<Sample> Rows, double? Wait, string Stopped);

    private sealed record Sample(long Step, long Rss, long Managed, double DataWait, double MsPerStep, double ImagesPerSecond, double CopyFraction, double Loss,
        double ThreadCpuSeconds);

    // Records RSS with each train row, on the training thread, right after the step that row describes.
    private sealed class MemorySampler(TextWriter log) : IMetricsSink
    {
        private readonly List<Sample> rows = [];

        public IReadOnlyList<Sample> Rows => rows;

        public void Write(MetricsRow row)
        {
            if (row.Kind != MetricsRow.Train) return;
            var v = row.Values;
            var sample = new Sample(row.Step, ProcessMemory.Rss(), GC.GetTotalMemory(false), v["data_wait_frac"], v["ms_per_step"], v["images_per_s"],
                v.GetValueOrDefault("master_copy_frac"), v["loss"], ThreadCpu.Seconds());
            rows.Add(sample);
            if (row.Step % 50 == 0)
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"step {row.Step}: {sample.MsPerStep:F0} ms/step, data wait {sample.DataWait:P1}, RSS {ProcessMemory.Mib(sample.Rss)}"));
        }
    }
}
