namespace Qlip.Bench;

/// <summary>Parses `benchmark [--key value ...]`, runs it and updates its section of bench/results.md.</summary>
internal static class BenchRunner
{
    public static int Run(string[] args, TextWriter log)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            log.WriteLine("usage: Qlip.Bench <benchmark|all> [--key value ...]");
            foreach (var b in BenchmarkCatalog.All) log.WriteLine($"  {b.Name,-18} {b.Description}");
            return args.Length == 0 ? 2 : 0;
        }
        var selected = args[0] == "all" ? BenchmarkCatalog.All : BenchmarkCatalog.All.Where(b => b.Name == args[0]).ToList();
        if (selected.Count == 0)
        {
            log.WriteLine($"error: unknown benchmark '{args[0]}'; known: all, {string.Join(", ", BenchmarkCatalog.All.Select(b => b.Name))}");
            return 2;
        }
        try
        {
            var options = new BenchArgs(args.Skip(1));
            // A typo must not silently run the defaults for minutes.
            var unknown = options.Keys.Except(selected.SelectMany(b => b.Options)).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"unknown option(s) for {args[0]}: {string.Join(", ", unknown.Select(k => "--" + k))}");
            foreach (var benchmark in selected)
            {
                log.WriteLine($"== {benchmark.Name}");
                var body = benchmark.Run(options, log);
                BenchResults.WriteSection(benchmark.Section(options), MachineInfo.Describe() + "\n\n" + body);
                log.WriteLine(body);
            }
            return 0;
        }
        catch (ArgumentException e)
        {
            log.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
