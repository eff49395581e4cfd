namespace Qlip.Bench;

/// <summary>The options every per-thread-count throughput benchmark reads, with their shared defaults.</summary>
internal sealed record ThroughputOptions(string Preset, int Batch, IReadOnlyList<int> Threads, int Steps, int Warmup)
{
    /// <summary>Their names, for <see cref="IBenchmark.Options"/>.</summary>
    public static readonly IReadOnlyList<string> Names = ["preset", "batch", "threads", "steps", "warmup"];

    /// <summary><c>--preset small --batch 32 --threads 1,2 --steps 10 --warmup 3</c> unless given.</summary>
    public static ThroughputOptions Read(BenchArgs args) =>
        new(args.String("preset", "small"), args.Int("batch", 32), args.Ints("threads", "1,2"), args.Int("steps", 10), args.Int("warmup", 3));
}
