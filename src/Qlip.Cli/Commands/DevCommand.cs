using System.CommandLine;
using Qlip.Shared.Dev;
using Qlip.Shared.Storage;

namespace Qlip.Cli.Commands;

/// <summary><c>qlip dev up | down | status</c>: the local Azurite under .qlip/ of the checkout.</summary>
internal static class DevCommand
{
    public static Command Create()
    {
        var dev = new Command("dev", "Run the local storage emulator (Azurite) with every container, queue and table.");

        var up = new Command("up", "Start Azurite on 127.0.0.1:10000-10002 (data in .qlip/azurite) and provision storage.");
        up.SetAction((_, ct) => CommandRunner.RunAsync(async () =>
        {
            var store = DevStore.Locate();
            var (process, started) = await store.UpAsync(AzuritePorts.Default, ct);
            Console.WriteLine($"{(started ? "started" : "already running:")} Azurite pid {process.ProcessId} on 127.0.0.1 " +
                              $"(blob {process.Ports.Blob}, queue {process.Ports.Queue}, table {process.Ports.Table}); storage provisioned");
            return 0;
        }));

        var down = new Command("down", "Stop the Azurite that `qlip dev up` started (data is kept).");
        down.SetAction((_, _) => CommandRunner.RunAsync(async () =>
        {
            Console.WriteLine(await DevStore.Locate().DownAsync() ? "stopped Azurite" : "no Azurite started by qlip is running");
            return 0;
        }));

        var status = new Command("status", "Show whether Azurite runs, its ports and the messages waiting in each queue.");
        status.SetAction((_, ct) => CommandRunner.RunAsync(async () =>
        {
            var process = DevStore.Locate().Running();
            if (process is null)
            {
                Console.WriteLine("Azurite: not running (start it with `qlip dev up`)");
                return 1;
            }
            Console.WriteLine($"Azurite: pid {process.ProcessId}, 127.0.0.1 blob {process.Ports.Blob}, queue {process.Ports.Queue}, " +
                              $"table {process.Ports.Table}, data {process.Location}");
            var clients = new StorageClients(new StorageOptions { ConnectionString = process.Ports.ConnectionString });
            foreach (var queue in StorageNames.Queues.All)
            {
                var client = clients.Queue(queue);
                var count = (await client.ExistsAsync(ct)).Value ? $"{(await client.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount}" : "missing";
                Console.WriteLine($"  {queue,-20} {count}");
            }
            return 0;
        }));

        dev.Subcommands.Add(up);
        dev.Subcommands.Add(down);
        dev.Subcommands.Add(status);
        return dev;
    }
}
