using System.Globalization;
using System.Text;
using Qlip.ML.Configs;

namespace Qlip.Cli.Demo;

/// <summary>Writes <c>report.md</c>: every number in it comes from the summary of the run that wrote it.</summary>
internal static class DemoReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(DemoSummary summary)
    {
        var md = new StringBuilder();
        md.AppendLine("# Qlip demo report").AppendLine();
        md.AppendLine(Inv, $"Run {summary.StartedAt:yyyy-MM-dd HH:mm} UTC, {(summary.Plan.Quick ? "`--quick`" : "full")} budget, {summary.Machine}; " +
                           $"{summary.Elapsed.TotalMinutes:F1} min end to end. Inputs are real packaged data (Fashion-MNIST, Noto emoji, openclipart); " +
                           $"storage is a local Azurite; every stage ran as a queue worker.").AppendLine();
        Headline(md, summary);
        Training(md, summary);
        Counts(md, summary);
        Tokens(md, summary);
        Throughput(md, summary);

        md.AppendLine("## Queues and gaps").AppendLine();
        md.AppendLine(summary.PendingMessages.Count == 0
            ? "Every work queue and `-poison` queue was empty at the end of the run."
            : "Messages left at the end (in `-poison` queues after five failed attempts, or not drained in time; `qlip dev status` shows them): " +
              string.Join(", ", summary.PendingMessages.Select(p => $"`{p.Key}` {p.Value:N0}")) + ".");
        foreach (var gap in summary.Gaps) md.AppendLine().AppendLine("- " + gap);
        md.AppendLine().AppendLine("Clean shards, checkpoints, run reports and tokens stay in the local Azurite (`qlip shards list --dataset NAME`, " +
                                   "`qlip train status --run ID`); `qlip dev down` stops the emulator.");
        return md.ToString();
    }

    private static void Headline(StringBuilder md, DemoSummary summary)
    {
        if (summary.Stage1 is not { } run) return;
        var report = run.Report;
        md.AppendLine("## Results").AppendLine();
        md.AppendLine("| measure | value | on |").AppendLine("|---|---:|---|");
        Row(md, "zero-shot top-1", report.Eval("zeroshot/top1"), "P1", "Fashion-MNIST test, 10 classes, prompt templates");
        Row(md, "PSNR", report.Eval("recon/test/psnr"), "F2", "Fashion-MNIST test (dB, [0, 255])");
        Row(md, "SSIM", report.Eval("recon/test/ssim"), "F3", "Fashion-MNIST test");
        Row(md, "PSNR", report.Eval("recon/photos/psnr"), "F2", "packaged photos resized (dB)");
        Row(md, "SSIM", report.Eval("recon/photos/ssim"), "F3", "packaged photos resized");
        if (summary.Stage2?.Report is { } stage2)
        {
            Row(md, "PSNR after stage 2", stage2.Eval("recon/test/psnr"), "F2", "Fashion-MNIST test (dB): decoder fine-tuned behind the frozen encoder");
            Row(md, "SSIM after stage 2", stage2.Eval("recon/test/ssim"), "F3", "Fashion-MNIST test");
        }
        Row(md, "codebook usage", report.Eval("codebook/distinct"), "N0", $"distinct ids on the test images (a fraction {Format(report.Eval("codebook/usage") ?? 0, "G3")} of all 2^bits)");
        Row(md, "codebook entropy", report.Eval("codebook/entropy_bits"), "F2", "bits per token (empirical)");
        if (summary.Tokens.FirstOrDefault(t => t.Rows > 0) is { } tokens)
        {
            var side = QlipPresets.Load(report.Preset).Vision.ImageSize;
            var raw = (long)side * side * 3 * 8;
            md.AppendLine(Inv, $"| bits per image | {tokens.BitsPerImage:N0} | {tokens.GridH}×{tokens.GridW} ids of {tokens.Bits} bits |");
            md.AppendLine(Inv, $"| compression | {raw / (double)tokens.BitsPerImage:F1}× | vs raw 8-bit RGB at the model's {side}×{side} input ({raw:N0} bits) |");
        }
        md.AppendLine();
    }

    private static void Training(StringBuilder md, DemoSummary summary)
    {
        foreach (var (title, run) in new[] { ("Stage 1", summary.Stage1), ("Stage 2", summary.Stage2) })
        {
            if (run is null) continue;
            var r = run.Report;
            md.AppendLine(Inv, $"## {title}: `{r.Kind}` run `{r.RunId}`").AppendLine();
            md.AppendLine(Inv, $"Preset `{r.Preset}`, {r.Steps:N0} steps, {r.SamplesSeen:N0} images from `{run.Spec.Dataset}`, " +
                               $"{(run.Reused ? "reused from an earlier demo (completed run found in the `runs` table)" : $"trained in {run.Elapsed.TotalMinutes:F1} min through the `train-runs` queue")}; " +
                               $"{Format(r.FinalTrain.GetValueOrDefault("images_per_s"), "F0")} images/s at the last step, data wait {r.DataWaitFraction:P1} of step time. " +
                               $"Full run report: `runs/{r.RunId}/report.md` in blob storage.").AppendLine();
            foreach (var (key, value) in r.Notes) md.AppendLine(Inv, $"- **{key}**: {value}");
            foreach (var (name, values) in r.Sections)
                md.AppendLine($"- **{name}**: " + string.Join(", ", values.Select(v => $"`{v.Key}` {v.Value.ToString("G4", Inv)}")));
            var weights = r.Hyperparameters.Where(h => h.Key.StartsWith("alpha_", StringComparison.Ordinal)).Select(h => $"`{h.Key}` = {h.Value}").ToList();
            if (weights.Count > 0)
                md.AppendLine("- **loss weights**: " + string.Join(", ", weights) + (r.Hyperparameters.GetValueOrDefault("calibrate") == "false"
                    ? " (fixed by the recipe: no calibration probes in this run)"
                    : ""));
            var losses = r.FinalTrain.Where(v => v.Key.StartsWith("loss", StringComparison.Ordinal)).OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => $"`{v.Key}` {v.Value.ToString("G4", Inv)}").ToList();
            if (losses.Count > 0) md.AppendLine("- **final losses**: " + string.Join(", ", losses));
            md.AppendLine();
            foreach (var (name, path) in run.Figures) md.AppendLine(Inv, $"![{name}]({path})").AppendLine();
        }
    }

    private static void Counts(StringBuilder md, DemoSummary summary)
    {
        md.AppendLine("## Pipeline counts").AppendLine();
        md.AppendLine("| data set | shards ingested | samples | kept (with image) | rejected | need a caption | recaptioned | tokenized |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var d in summary.Datasets)
        {
            var tokens = summary.Tokens.FirstOrDefault(t => t.Dataset == d.Dataset)?.Rows ?? 0;
            md.AppendLine(Inv, $"| {d.Dataset} | {d.DoneShards}/{d.Shards} | {d.Samples:N0} | {d.Successes:N0} | {d.Rejected.Values.Sum():N0} | " +
                               $"{d.NeedsCaption:N0} | {summary.Captioned.GetValueOrDefault(d.Dataset):N0} | {tokens:N0} |");
        }
        var reasons = summary.Datasets.SelectMany(d => d.Rejected.Select(r => (d.Dataset, r.Key, r.Value))).ToList();
        md.AppendLine().AppendLine("Rejected samples by reason: " + (reasons.Count == 0
            ? "none."
            : string.Join(", ", reasons.Select(r => $"`{r.Key}` {r.Value:N0} ({r.Dataset})")) + "."));
        md.AppendLine("(`duplicate_image` is the exact dedup across the data set: the same source bytes, by sha256, are kept once.) " +
                      "Samples that arrived without a caption (the SA-1B layout has none) were recaptioned by the `zeroshot` backend: the " +
                      "stage-1 checkpoint ranks the ImageNet-1k class names with prompt templates (`shards/{dataset}/captions/`).");
        md.AppendLine();
    }

    private static void Tokens(StringBuilder md, DemoSummary summary)
    {
        var exported = summary.Tokens.Where(t => t.ParquetPath is not null).ToList();
        if (exported.Count == 0) return;
        md.AppendLine("## Tokens and export").AppendLine();
        md.AppendLine(Inv, $"Every clean shard was tokenized by the stage-1 checkpoint (`checkpoints/{summary.Stage1?.Report.RunId}/`) through the " +
                           $"`tokenize` queue and exported as one standard Parquet file per data set (`key`, `caption`, `grid_h`, `grid_w`, `bits`, " +
                           $"`ids` as list<int32>, `source_sha256`, `checkpoint`):").AppendLine();
        foreach (var t in exported) md.AppendLine(Inv, $"- [`{t.ParquetPath}`]({t.ParquetPath}): {t.Rows:N0} rows");
        var example = exported.FirstOrDefault(t => t.Dataset == "fmnist-test") ?? exported[0];
        md.AppendLine().AppendLine("Open it without Qlip (from this folder):").AppendLine();
        md.AppendLine("```python").AppendLine("import pyarrow.parquet as pq");
        md.AppendLine(Inv, $"t = pq.read_table(\"{example.ParquetPath}\")");
        md.AppendLine("print(t.num_rows, t.schema.names, t.slice(0, 1).to_pylist()[0][\"ids\"][:8])").AppendLine("```").AppendLine();
        md.AppendLine("```bash").AppendLine(Inv, $"duckdb -c \"SELECT key, caption, len(ids) AS tokens FROM '{example.ParquetPath}' LIMIT 5\"").AppendLine("```").AppendLine();
    }

    private static void Throughput(StringBuilder md, DemoSummary summary)
    {
        md.AppendLine("## Throughput").AppendLine();
        md.AppendLine("Wall-clock time of each stage in this run (stages whose work an earlier demo already did are not listed).").AppendLine();
        md.AppendLine("| stage | items | time | rate |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var s in summary.Stages)
            md.AppendLine(Inv, $"| {s.Stage} | {s.Items:N0} {s.Unit} | {s.Elapsed.TotalSeconds:F1} s | {s.PerSecond:N0} {s.Unit}/s |");
        md.AppendLine();
    }

    private static void Row(StringBuilder md, string name, double? value, string format, string on)
    {
        if (value is { } v) md.AppendLine(Inv, $"| {name} | {Format(v, format)} | {on} |");
    }

    private static string Format(double value, string format) =>
        double.IsPositiveInfinity(value) ? "∞" : value.ToString(format, Inv);
}
