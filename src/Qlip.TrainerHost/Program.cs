using Microsoft.Extensions.Hosting;
using Qlip.Shared.Hosting;
using Qlip.TrainerHost.Hosting;

// The trainer: `train-runs` messages → checkpoints, metrics and reports in blob storage (one run at a time).
var builder = Host.CreateApplicationBuilder(args);
builder.AddQlipDefaults();
builder.AddTrainer();
await builder.Build().RunAsync();
