using Qlip.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qlip.Captioning.Backends;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.Captioning.Hosting;

/// <summary>The captioning host's registrations, shared by its Program.cs and <c>qlip workers caption</c>.</summary>
public static class CaptioningHostingExtensions
{
    public static IHostApplicationBuilder AddCaptioningHandlers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCaptionBackends();
        builder.Services.AddQueueHandler<CaptionRequest, CaptionShardHandler>(StorageNames.Queues.Caption);
        return builder;
    }

    /// <summary>Options and every backend, keyed by the name caption requests carry.</summary>
    public static IServiceCollection AddCaptionBackends(this IServiceCollection services)
    {
        services.AddValidatedOptions<CaptioningOptions>(CaptioningOptions.SectionName);
        services.AddSingleton<CaptionRateLimiter>();
        services.AddKeyedSingleton<ICaptionBackend, OpenAICaptionBackend>(OpenAICaptionBackend.BackendName);
        services.AddKeyedSingleton<ICaptionBackend, ZeroShotCaptionBackend>(ZeroShotCaptionBackend.BackendName);
        return services;
    }
}
