using System.Net;
using System.Net.Sockets;
using Qlip.Shared.Dev;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Tests.Dev;

public sealed class DevStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("qlip-devstore-").FullName;

    public DevStoreTests()
    {
        // A checkout of our own whose node_modules is the real one: .qlip/ lands in the temp folder.
        Directory.CreateSymbolicLink(Path.Combine(_root, "node_modules"), Path.Combine(RepositoryRoot.Find(), "node_modules"));
    }

    [Fact]
    public async Task Up_provisions_down_stops_exactly_that_process_and_a_second_down_finds_nothing()
    {
        var store = new DevStore(_root);
        var ports = AzuritePorts.PickFree();

        var (process, started) = await store.UpAsync(ports, CancellationToken.None);
        var (again, startedAgain) = await store.UpAsync(ports, CancellationToken.None);
        var queues = new List<string>();
        await foreach (var q in new StorageClients(new StorageOptions { ConnectionString = ports.ConnectionString }).Queues.GetQueuesAsync())
            queues.Add(q.Name);
        var stopped = await store.DownAsync();
        var stoppedAgain = await store.DownAsync();

        Assert.True(started);
        Assert.False(startedAgain);
        Assert.Equal(process.ProcessId, again.ProcessId);
        Assert.Equal(StorageNames.Queues.All.Order(), queues.Order());
        Assert.True(stopped);
        Assert.False(process.IsAlive());
        Assert.False(await process.PortsAnswerAsync(CancellationToken.None));
        Assert.False(stoppedAgain);
        Assert.Null(store.Running());
    }

    [Fact]
    public async Task A_port_taken_by_another_process_is_a_clear_error()
    {
        var ports = AzuritePorts.PickFree();
        var squatter = new TcpListener(IPAddress.Loopback, ports.Queue);
        squatter.Start();
        try
        {
            var error = await Assert.ThrowsAsync<DevStoreException>(() => new DevStore(_root).UpAsync(ports, CancellationToken.None));

            Assert.Equal($"port {ports.Queue} (queue) on 127.0.0.1 is already in use by another process: stop it, or use other ports", error.Message);
            Assert.Null(new DevStore(_root).Running());
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Fact]
    public async Task A_checkout_without_azurite_says_to_run_setup()
    {
        var bare = Directory.CreateTempSubdirectory("qlip-bare-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<DevStoreException>(() => new DevStore(bare).UpAsync(AzuritePorts.PickFree(), CancellationToken.None));

            Assert.Contains("scripts/setup.sh", error.Message);
        }
        finally
        {
            Directory.Delete(bare, true);
        }
    }

    public void Dispose()
    {
        new DevStore(_root).Running()?.Kill();
        Directory.Delete(_root, recursive: true);
    }
}
