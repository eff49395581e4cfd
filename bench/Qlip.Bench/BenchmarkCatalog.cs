using Qlip.Bench.Benchmarks;
using Qlip.Bench.Ingest;

namespace Qlip.Bench;

/// <summary>Every benchmark, in the order `all` runs them.</summary>
internal static class BenchmarkCatalog
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new IngestThroughputBenchmark(),
        new ModelThroughputBenchmark(),
        new MemoryBenchmark(),
    ];
}
