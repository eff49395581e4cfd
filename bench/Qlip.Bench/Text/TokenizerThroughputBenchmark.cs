namespace Qlip.Bench.Text;

/// <summary>`tokenizer`: <see cref="TokenizerBenchmark"/> as a harness subcommand.</summary>
internal sealed class TokenizerThroughputBenchmark : IBenchmark
{
    public string Name => "tokenizer";

    public string Description => "--captions 20000 --preset small --batch 64 (CLIP BPE captions/s vs the text tower)";

    public IReadOnlyList<string> Options => ["captions", "preset", "batch"];

    public string Run(BenchArgs args, TextWriter log) =>
        TokenizerBenchmark.Run(args.Int("captions", 20000), args.String("preset", "small"), args.Int("batch", 64), log);
}
