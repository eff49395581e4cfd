using Qlip.Shared.Dev;
using Qlip.Shared.Storage;
using Xunit;

namespace Qlip.Testing.Azurite;

/// <summary>
/// A real Azurite for a test collection: its own free ports and temp folder, everything provisioned, killed and
/// deleted at the end (also when the test process exits early). Declare in the test assembly:
/// <c>[CollectionDefinition("azurite")] public sealed class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;;</c>
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _process;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"qlip-azurite-{Guid.NewGuid():N}");

    public AzuritePorts Ports => _process?.Ports ?? throw new InvalidOperationException("Azurite is not started");

    public string ConnectionString => Ports.ConnectionString;

    /// <summary>Options for this Azurite with short retry delays (a test should fail fast, not wait out backoff).</summary>
    public StorageOptions StorageOptions => new()
    {
        ConnectionString = ConnectionString,
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
    };

    public StorageClients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepositoryRoot.Find(), AzuriteProcess.ScriptRelativePath);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Ports are picked free but not held: another process may take one first, so try again.
                _process = await AzuriteProcess.StartAsync(script, AzuritePorts.PickFree(), Folder, CancellationToken.None);
                break;
            }
            catch (DevStoreException e) when (attempt < 3 && e.Message.Contains("already in use"))
            {
            }
        }
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        Clients = new StorageClients(StorageOptions);
        await new StorageProvisioner(Clients).ProvisionAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        _process?.Kill();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private void KillOnExit(object? sender, EventArgs e) => _process?.Kill();
}
