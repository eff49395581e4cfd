using System.CommandLine;
using Qlip.Data.Making;
using Qlip.Data.Sets;

namespace Qlip.Cli.Commands;

/// <summary>`qlip data make`: real sample shards from the packaged data sets (img2dataset webdataset or SA-1B layout).</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source")
        {
            Description = $"Packaged data set: {string.Join(" | ", DataSources.Names)}",
            Required = true,
        };
        var split = new Option<string>("--split") { Description = "train | test", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("train", "test");
        var shardSize = new Option<int>("--shard-size") { Description = "Samples per shard", DefaultValueFactory = _ => 1000 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (created if missing)", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Stop after this many samples" };
        var format = new Option<string>("--format") { Description = "webdataset | sa1b", DefaultValueFactory = _ => "webdataset" };
        format.AcceptOnlyFromAmong("webdataset", "sa1b");

        var make = new Command("make", "Write shards from a packaged real data set: tars, per-shard parquet and stats, sizes.json.")
        {
            source, split, shardSize, output, limit, format,
        };
        make.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(source)!;
            if (!DataSources.Names.Contains(name))
                return Fail($"unknown --source '{name}'; valid sources: {string.Join(", ", DataSources.Names)}", 2);
            if (parse.GetValue(shardSize) < 1) return Fail("--shard-size must be at least 1", 2);
            var options = new DataMakeOptions(name, parse.GetValue(split) == "train" ? DataSplit.Train : DataSplit.Test,
                parse.GetValue(shardSize), parse.GetValue(output)!.FullName)
            {
                Limit = parse.GetValue(limit),
                Format = parse.GetValue(format) == "sa1b" ? ShardFormat.Sa1b : ShardFormat.WebDataset,
            };
            try
            {
                var result = await DataMaker.MakeAsync(options, DataPaths.Resolve(), ct);
                var failures = result.Failures.Count == 0 ? "none" : string.Join(", ", result.Failures.Select(f => $"{f.Key} {f.Value}"));
                Console.WriteLine($"wrote {result.Samples:N0} samples in {result.ShardSizes.Count} shards to {options.OutputDirectory} " +
                    $"(failed: {failures})");
                return 0;
            }
            catch (DataNotFoundException e)
            {
                return Fail(e.Message, 1);
            }
        });
        return new Command("data", "Packaged real data sets.") { make };
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }
}
