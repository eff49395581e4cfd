namespace Qlip.Bench.Ingest;

/// <summary>`ingest`: <see cref="IngestBenchmark"/> as a harness subcommand.</summary>
internal sealed class IngestThroughputBenchmark : IBenchmark
{
    public string Name => "ingest";

    public string Description => "--samples 400 --repeats 3 (640×480 JPEG → 256 crop → tar, one thread)";

    public IReadOnlyList<string> Options => ["samples", "repeats"];

    public string Run(BenchArgs args, TextWriter log) =>
        IngestBenchmark.RunAsync(args.Int("samples", 400), args.Int("repeats", 3), log).GetAwaiter().GetResult();
}
