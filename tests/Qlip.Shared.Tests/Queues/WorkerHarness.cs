using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qlip.Shared.Hosting;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;

namespace Qlip.Shared.Tests.Queues;

/// <summary>A fresh queue pair on the fixture's Azurite and a real Generic Host listening on it with one handler.</summary>
public sealed class WorkerHarness<THandler> : IAsyncDisposable where THandler : class, IQueueHandler<TokenizeRequest>
{
    private WorkerHarness(string queueName, IHost host, StorageClients clients)
    {
        QueueName = queueName;
        Host = host;
        Queue = clients.Queue(queueName);
        Poison = clients.Queue(StorageNames.Queues.PoisonOf(queueName));
        Probe = host.Services.GetRequiredService<HandlerProbe>();
    }

    public string QueueName { get; }

    public IHost Host { get; }

    public QueueClient Queue { get; }

    public QueueClient Poison { get; }

    public HandlerProbe Probe { get; }

    public static async Task<WorkerHarness<THandler>> CreateAsync(AzuriteFixture azurite, Action<QueueWorkerOptions>? configure = null)
    {
        var queueName = $"w-{Guid.NewGuid():N}"[..20];
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[StorageOptions.ConnectionStringVariable] = azurite.ConnectionString;
        builder.AddQlipDefaults();
        builder.Services.AddSingleton<HandlerProbe>();
        builder.Services.AddQueueHandler<TokenizeRequest, THandler>(queueName);
        builder.Services.Configure<QueueWorkerOptions>(queueName, options =>
        {
            options.MinPollingInterval = TimeSpan.FromMilliseconds(20);
            options.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
            options.VisibilityTimeout = TimeSpan.FromSeconds(30);
            configure?.Invoke(options);
        });
        var harness = new WorkerHarness<THandler>(queueName, builder.Build(), azurite.Clients);
        await harness.Queue.CreateAsync();
        await harness.Poison.CreateAsync();
        return harness;
    }

    public static TokenizeRequest Request(string shardId) => new()
    {
        Dataset = "fmnist",
        ShardId = shardId,
        CheckpointUri = new Uri("http://127.0.0.1:10000/devstoreaccount1/checkpoints/run-1/step-100.safetensors"),
    };

    public Task SendAsync(TokenizeRequest request, QueueBodyEncoding encoding = QueueBodyEncoding.Base64) =>
        Queue.SendMessageAsync(QueueMessageCodec.Encode(request, encoding));

    public async Task<int> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }

    public async Task<List<PoisonMessage>> PoisonedAsync()
    {
        var messages = (await Poison.PeekMessagesAsync(32)).Value;
        return messages.Select(m => QueueMessageCodec.Decode<PoisonMessage>(m.Body.ToString()).Message!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        await Queue.DeleteIfExistsAsync();
        await Poison.DeleteIfExistsAsync();
    }
}
