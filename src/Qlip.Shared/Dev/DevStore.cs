using System.Text.Json;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Dev;

/// <summary>
/// The local dev store behind <c>qlip dev up | down | status</c>: one Azurite under <c>.qlip/azurite</c> of the
/// checkout, its pid in <c>.qlip/azurite.json</c>, every container, queue and table provisioned on start.
/// </summary>
public sealed class DevStore(string repositoryRoot)
{
    public string StateDirectory { get; } = Path.Combine(repositoryRoot, ".qlip");

    private string StateFile => Path.Combine(StateDirectory, "azurite.json");

    private string Script => Path.Combine(repositoryRoot, AzuriteProcess.ScriptRelativePath);

    /// <summary>The dev store of the checkout around the working folder.</summary>
    public static DevStore Locate() => new(RepositoryRoot.Find());

    /// <summary>The Azurite this checkout started, if it is still running; a stale pid file is removed.</summary>
    public AzuriteProcess? Running()
    {
        if (!File.Exists(StateFile)) return null;
        DevStoreState? state;
        try
        {
            state = JsonSerializer.Deserialize(File.ReadAllText(StateFile), DevStoreStateJsonContext.Default.DevStoreState);
        }
        catch (JsonException)
        {
            state = null;
        }
        var process = state is null ? null : AzuriteProcess.Attach(state.ProcessId, state.StartTime, state.Ports, state.Location);
        if (process is null) File.Delete(StateFile);
        return process;
    }

    /// <summary>Starts Azurite unless it already runs, then provisions every container, queue and table.</summary>
    /// <returns>The process and whether this call started it.</returns>
    public async Task<(AzuriteProcess Process, bool Started)> UpAsync(AzuritePorts ports, CancellationToken ct)
    {
        var process = Running();
        var started = process is null;
        if (process is null)
        {
            process = await AzuriteProcess.StartAsync(Script, ports, Path.Combine(StateDirectory, "azurite"), ct);
            var state = new DevStoreState(process.ProcessId, process.StartTime, ports.Blob, ports.Queue, ports.Table, process.Location);
            Directory.CreateDirectory(StateDirectory);
            await File.WriteAllTextAsync(StateFile, JsonSerializer.Serialize(state, DevStoreStateJsonContext.Default.DevStoreState), ct);
        }
        var clients = new StorageClients(new StorageOptions { ConnectionString = process.Ports.ConnectionString });
        await new StorageProvisioner(clients).ProvisionAsync(ct);
        return (process, started);
    }

    /// <summary>Stops exactly the process recorded in the pid file; false when none was running.</summary>
    public async Task<bool> DownAsync()
    {
        var process = Running();
        if (process is null) return false;
        await process.StopAsync(TimeSpan.FromSeconds(10));
        File.Delete(StateFile);
        return true;
    }
}
