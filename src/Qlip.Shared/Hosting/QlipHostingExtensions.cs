using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Hosting;

/// <summary>What every Qlip host shares: storage from configuration, one-line console logs, a shutdown long enough for handlers.</summary>
public static class QlipHostingExtensions
{
    /// <summary>Adds the storage layer (options validated at start), console logging and the host shutdown timeout.</summary>
    public static IHostApplicationBuilder AddQlipDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddQlipStorage();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        });
        // The Azure SDK logs every HTTP request at Information: keep its noise (and URLs) out of the console.
        builder.Logging.AddFilter("Azure", LogLevel.Warning);
        // Handlers get QueueWorkerOptions.ShutdownTimeout (20 s) to finish; the host must wait at least that long.
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = Max(host.ShutdownTimeout, new QueueWorkerOptions().ShutdownTimeout + TimeSpan.FromSeconds(10)));
        return builder;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
