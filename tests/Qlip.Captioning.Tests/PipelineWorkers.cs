using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Qlip.Captioning.Hosting;
using Qlip.Shared.Hosting;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.TrainerHost.Tokenize;

namespace Qlip.Captioning.Tests;

/// <summary>
/// The caption or tokenize worker as its host registers it (<c>AddCaptioningHandlers</c>, <c>AddTokenizeHandlers</c>), on
/// the fixture's Azurite, configured like a deployment through settings, polling fast.
/// </summary>
internal static class PipelineWorkers
{
    public static Task<RunningWorker> CaptionAsync(AzuriteFixture azurite, Uri endpoint) => StartAsync(azurite, builder => builder.AddCaptioningHandlers(),
        new()
        {
            ["Captioning:Endpoint"] = endpoint.ToString(), ["Captioning:Model"] = "qwen2-vl-test", ["Captioning:ApiKey"] = CaptionBackends.ApiKey,
            ["Captioning:RequestsPerMinute"] = "0", ["Captioning:TokensPerMinute"] = "0",
        });

    /// <param name="settings">Tokenize settings (<c>Tokenize:Captions</c>, …) and queue overrides.</param>
    public static Task<RunningWorker> TokenizeAsync(AzuriteFixture azurite, string cacheFolder, Dictionary<string, string?> settings)
    {
        settings["Tokenize:CacheFolder"] = cacheFolder;
        return StartAsync(azurite, builder => builder.AddTokenizeHandlers(), settings);
    }

    private static async Task<RunningWorker> StartAsync(AzuriteFixture azurite, Action<IHostApplicationBuilder> register, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        settings[StorageOptions.ConnectionStringVariable] = azurite.ConnectionString;
        settings["Queues:MaxPollingInterval"] = "00:00:00.200";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddQlipDefaults();
        register(builder);
        var host = builder.Build();
        await host.StartAsync();
        return new RunningWorker(host);
    }
}
