using System.CommandLine;
using Qlip.Cli.Demo;

namespace Qlip.Cli.Commands;

/// <summary><c>qlip demo</c>: the whole pipeline end to end on real packaged data and the local Azurite.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A smoke run of a few minutes instead of the full budget." };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Output folder for the shards made and report.md.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".qlip", "demo")),
        };
        var verbose = new Option<bool>("--verbose") { Description = "Show the workers' logs." };
        var demo = new Command("demo", "Run the whole pipeline on real data: shards → Azurite queues → workers → report.") { quick, output, verbose };
        demo.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var plan = new DemoPlan(parse.GetValue(quick), parse.GetValue(output)!.FullName);
            var summary = await new DemoPipeline(plan, parse.GetValue(verbose)).RunAsync(ct);
            var report = Path.Combine(plan.OutputDirectory, "report.md");
            await File.WriteAllTextAsync(report, DemoReport.Render(summary), ct);
            foreach (var d in summary.Datasets)
                Console.WriteLine($"{d.Dataset}: {d.DoneShards}/{d.Shards} shards ingested, {d.Samples:N0} samples, " +
                                  $"{d.Successes:N0} kept, {d.Rejected.Values.Sum():N0} rejected, {d.NeedsCaption:N0} need a caption");
            if (summary.Stage1?.Report is { } run)
                Console.WriteLine($"stage 1 ({run.RunId}): zero-shot top-1 {run.Eval("zeroshot/top1"):P1} on Fashion-MNIST test, " +
                                  $"PSNR {run.Eval("recon/test/psnr"):F2} dB");
            foreach (var t in summary.Tokens.Where(t => t.ParquetPath is not null))
                Console.WriteLine($"{t.Dataset}: {t.Rows:N0} rows of tokens in {Path.Combine(plan.OutputDirectory, t.ParquetPath!)}");
            Console.WriteLine($"report: {report} ({summary.Elapsed.TotalMinutes:F1} min)");
            return summary.Succeeded ? 0 : 1;
        }));
        return demo;
    }
}
