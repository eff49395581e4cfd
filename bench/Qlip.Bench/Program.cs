// `dotnet run -c Release --project bench/Qlip.Bench -- <benchmark|all> [--key value ...]`: runs benchmarks and writes
// their sections of bench/results.md. A new benchmark is one IBenchmark class listed in BenchmarkCatalog.
using Qlip.Bench;

return BenchRunner.Run(args, Console.Out);
