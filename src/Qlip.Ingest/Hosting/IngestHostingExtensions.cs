using Qlip.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qlip.Ingest.Dedup;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.Ingest.Hosting;

/// <summary>The ingest host's registrations, shared by its Program.cs and <c>qlip workers ingest</c>.</summary>
public static class IngestHostingExtensions
{
    public static IHostApplicationBuilder AddIngestHandlers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<IngestOptions>(IngestOptions.SectionName);
        builder.Services.AddSingleton<ImageDedupIndex>();
        builder.Services.AddSingleton<ShardPublisher>();
        builder.Services.AddSingleton<ShardIngester>();
        builder.Services.AddQueueHandler<BlobCreatedEvent, ShardIngestHandler>(StorageNames.Queues.Ingest);
        return builder;
    }
}
