using Microsoft.Extensions.Hosting;
using Qlip.Shared.Hosting;
using Qlip.TrainerHost.Hosting;
using Qlip.TrainerHost.Tokenize;

// The trainer: `train-runs` messages → checkpoints, metrics and reports in blob storage (one run at a time);
// `tokenize` messages → clean shards through a checkpoint's encoder into stored BSQ tokens.
var builder = Host.CreateApplicationBuilder(args);
builder.AddQlipDefaults();
builder.AddTrainer();
builder.AddTokenizeHandlers();
await builder.Build().RunAsync();
