using Qlip.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>The tokenize worker's registrations, shared by the trainer host's Program.cs and <c>qlip workers tokenize</c>.</summary>
public static class TokenizeHostingExtensions
{
    public static IHostApplicationBuilder AddTokenizeHandlers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TokenizeOptions>(TokenizeOptions.SectionName);
        builder.Services.AddSingleton(services => new CheckpointCache<CheckpointTokenizer>(services.GetRequiredService<StorageClients>(),
            services.GetRequiredService<IOptions<TokenizeOptions>>().Value.ResolveCacheFolder(),
            (id, directory) => new CheckpointTokenizer(id, directory, services.GetRequiredService<IOptions<TokenizeOptions>>().Value.PipelineOptions()),
            services.GetRequiredService<ILogger<CheckpointCache<CheckpointTokenizer>>>()));
        builder.Services.AddSingleton<TokensStore>();
        builder.Services.AddSingleton<TokensExport>();
        builder.Services.AddQueueHandler<TokenizeRequest, TokenizeHandler>(StorageNames.Queues.Tokenize);
        return builder;
    }
}
