using Microsoft.Extensions.Hosting;

namespace Qlip.Captioning.Tests;

/// <summary>A started worker host, stopped (handlers finish, messages released) and disposed at the end of a using block.</summary>
internal sealed class RunningWorker(IHost host) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
