using Microsoft.Extensions.DependencyInjection;
using Qlip.Ingest.Dedup;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Storage;

namespace Qlip.Ingest;

/// <summary>Registers ingest's options (section <c>Ingest</c>, validated at start) and services.</summary>
public static class IngestHostingExtensions
{
    public static IServiceCollection AddIngestServices(this IServiceCollection services)
    {
        services.AddQlipStorage();
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImageDedupIndex>();
        services.AddSingleton<ShardPublisher>();
        services.AddSingleton<ShardIngester>();
        return services;
    }
}
