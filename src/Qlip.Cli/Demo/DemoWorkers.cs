using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qlip.Cli.Commands;
using Qlip.Shared.Hosting;
using Qlip.Shared.Storage;
using Spectre.Console;

namespace Qlip.Cli.Demo;

/// <summary>
/// Every worker host's handlers (<see cref="WorkerCatalog"/>) running in this process for the whole demo, as
/// <c>qlip workers all</c> would: the demo only puts messages on queues and waits for them to be consumed.
/// </summary>
internal sealed class DemoWorkers(IHost host, StorageClients clients, IReadOnlyList<string> queues) : IAsyncDisposable
{
    // The queue each in-process worker consumes.
    private static readonly IReadOnlyDictionary<string, string> WorkerQueues = new Dictionary<string, string>
    {
        ["ingest"] = StorageNames.Queues.Ingest,
        ["caption"] = StorageNames.Queues.Caption,
        ["tokenize"] = StorageNames.Queues.Tokenize,
        ["train"] = StorageNames.Queues.TrainRuns,
    };

    /// <summary>Starts the named workers of <see cref="WorkerCatalog"/> with extra <paramref name="settings"/> (e.g. the caption checkpoint).</summary>
    public static async Task<DemoWorkers> StartAsync(StorageClients clients, bool verbose, IEnumerable<string> workers,
        IReadOnlyDictionary<string, string?> settings, CancellationToken ct)
    {
        var names = workers.ToList();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddQlipDefaults();
        // Retries are expected (and counted in the report); only errors interrupt the progress display.
        if (!verbose) builder.Logging.SetMinimumLevel(LogLevel.Error);
        foreach (var name in names) WorkerCatalog.Workers[name](builder);
        var host = builder.Build();
        await host.StartAsync(ct);
        return new DemoWorkers(host, clients, [.. names.Select(w => WorkerQueues[w])]);
    }

    /// <summary>Waits until this host's queues stay empty for three polls (or <paramref name="timeout"/>); returns what is left.</summary>
    public async Task<IReadOnlyDictionary<string, long>> DrainAsync(string what, TimeSpan timeout, CancellationToken ct) =>
        await DrainAsync(what, queues, timeout, ct);

    /// <summary>Waits until <paramref name="queues"/> stay empty for three polls (or <paramref name="timeout"/>); returns what is left.</summary>
    public async Task<IReadOnlyDictionary<string, long>> DrainAsync(string what, IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<string, long> waiting = new Dictionary<string, long>();
        await AnsiConsole.Status().StartAsync(what, async context =>
        {
            var quietPolls = 0;
            while (clock.Elapsed < timeout && quietPolls < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                waiting = await LengthsAsync(clients, queues, ct);
                quietPolls = waiting.Values.All(n => n == 0) ? quietPolls + 1 : 0;
                context.Status($"{what} ({clock.Elapsed:mm\\:ss}) — waiting: " + string.Join(", ", waiting.Select(q => $"{q.Key} {q.Value}")));
            }
        });
        AnsiConsole.MarkupLine(waiting.Values.All(n => n == 0)
            ? $"[green]✓[/] {Markup.Escape(what)}: {string.Join(", ", queues)} drained"
            : $"[yellow]![/] {Markup.Escape(what)}: not drained after {timeout}: {string.Join(", ", waiting.Select(q => $"{q.Key} {q.Value}"))}");
        return waiting.Where(q => q.Value > 0).ToDictionary();
    }

    /// <summary>
    /// Messages left at the end in any work queue or <c>-poison</c> queue (a message that failed five times is work the
    /// pipeline did not do).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> LeftoversAsync(CancellationToken ct)
    {
        var left = await LengthsAsync(clients, StorageNames.Queues.Work.Concat(StorageNames.Queues.Work.Select(StorageNames.Queues.PoisonOf)), ct);
        return left.Where(q => q.Value > 0).ToDictionary();
    }

    public static async Task<IReadOnlyDictionary<string, long>> LengthsAsync(StorageClients clients, IEnumerable<string> queues, CancellationToken ct)
    {
        var lengths = new Dictionary<string, long>();
        foreach (var queue in queues)
            lengths[queue] = (await clients.Queue(queue).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        return lengths;
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(CancellationToken.None);
        host.Dispose();
    }
}
