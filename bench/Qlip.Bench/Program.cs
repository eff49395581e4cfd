// `dotnet run -c Release --project bench/Qlip.Bench -- ingest [--samples N] [--repeats N]`: runs a benchmark and writes
// its section of bench/results.md. Minimal dispatch until the benchmark harness lands.
using System.Globalization;
using Qlip.Bench;
using Qlip.Bench.Ingest;

if (args is ["tokenizer", .. var tokenizerArgs] && tokenizerArgs.Length % 2 == 0)
{
    var o = Enumerable.Range(0, tokenizerArgs.Length / 2).ToDictionary(i => tokenizerArgs[2 * i].TrimStart('-'), i => tokenizerArgs[2 * i + 1]);
    var section = Qlip.Bench.Text.TokenizerBenchmark.Run(int.Parse(o.GetValueOrDefault("captions", "20000"), CultureInfo.InvariantCulture),
        o.GetValueOrDefault("preset", "small"), int.Parse(o.GetValueOrDefault("batch", "64"), CultureInfo.InvariantCulture), Console.Out);
    BenchResults.WriteSection("tokenizer", section);
    Console.WriteLine(section);
    return 0;
}
if (args is not ["ingest", .. var rest] || rest.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: Qlip.Bench ingest [--samples 400] [--repeats 3] | tokenizer [--captions 20000] [--preset small] [--batch 64]");
    return 2;
}
var options = Enumerable.Range(0, rest.Length / 2).ToDictionary(i => rest[2 * i].TrimStart('-'), i => int.Parse(rest[2 * i + 1], CultureInfo.InvariantCulture));
var body = await IngestBenchmark.RunAsync(options.GetValueOrDefault("samples", 400), options.GetValueOrDefault("repeats", 3), Console.Out);
BenchResults.WriteSection("ingest", body);
Console.WriteLine(body);
return 0;
