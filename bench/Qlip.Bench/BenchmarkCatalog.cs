using Qlip.Bench.Benchmarks;
using Qlip.Bench.Ingest;
using Qlip.Bench.Text;
using Qlip.Bench.Tokenize;
using Qlip.Bench.Training;

namespace Qlip.Bench;

/// <summary>Every benchmark, in the order `all` runs them.</summary>
internal static class BenchmarkCatalog
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new IngestThroughputBenchmark(),
        new TokenizerThroughputBenchmark(),
        new ModelThroughputBenchmark(),
        new MemoryBenchmark(),
        new TokenizeThroughputBenchmark(),
        new TrainingRunBenchmark(),
    ];
}
