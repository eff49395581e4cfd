using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Qlip.Shared.Storage;

namespace Qlip.Cli.Commands;

/// <summary>The storage the CLI talks to (<c>QLIP_STORAGE</c> or the dev store), checked to be reachable first.</summary>
internal static class CliStorage
{
    /// <exception cref="CommandException">The storage does not answer: one line saying what to do.</exception>
    public static async Task<StorageClients> ConnectAsync(CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddQlipStorage().BuildServiceProvider();
        var clients = services.GetRequiredService<StorageClients>();
        if (!await clients.IsReachableAsync(TimeSpan.FromSeconds(3), ct))
            throw new CommandException(clients.Blobs.Uri.IsLoopback
                ? $"the local storage ({clients.Describe()}) is not running: run `qlip dev up`"
                : $"the storage at {clients.Describe()} does not answer: check {StorageOptions.ConnectionStringVariable} and the network");
        return clients;
    }
}
