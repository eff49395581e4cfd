using Microsoft.Extensions.Hosting;
using Qlip.Ingest.Hosting;
using Qlip.Shared.Hosting;

// The ingest worker: BlobCreated events from the `ingest` queue → shard status rows and stats blobs.
var builder = Host.CreateApplicationBuilder(args);
builder.AddQlipDefaults();
builder.AddIngestHandlers();
await builder.Build().RunAsync();
