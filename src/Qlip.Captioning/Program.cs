using Microsoft.Extensions.Hosting;
using Qlip.Captioning.Hosting;
using Qlip.Shared.Hosting;

// The captioning worker: CaptionRequests from the `caption` queue → shards/{dataset}/captions/{shardId}.parquet.
var builder = Host.CreateApplicationBuilder(args);
builder.AddQlipDefaults();
builder.AddCaptioningHandlers();
await builder.Build().RunAsync();
