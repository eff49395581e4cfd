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
            Console.WriteLine($"report: {report}");
            return summary.Datasets.All(d => d.Shards > 0 && d.DoneShards == d.Shards) ? 0 : 1;
        }));
        return demo;
    }
}
