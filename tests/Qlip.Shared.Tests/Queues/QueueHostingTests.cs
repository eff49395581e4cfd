using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Qlip.Shared.Dev;
using Qlip.Shared.Hosting;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;

namespace Qlip.Shared.Tests.Queues;

[Collection(AzuriteCollection.Name)]
public sealed class QueueHostingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_bad_queue_setting_fails_the_host_at_start_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[StorageOptions.ConnectionStringVariable] = azurite.ConnectionString;
        builder.Configuration["Queues:ingest:BatchSize"] = "64";
        builder.AddQlipDefaults();
        builder.Services.AddSingleton<HandlerProbe>();
        builder.Services.AddQueueHandler<TokenizeRequest, RecordingHandler>("ingest");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("BatchSize", error.Message);
    }

    [Fact]
    public void A_queue_takes_one_handler()
    {
        var services = new ServiceCollection().AddQueueHandler<TokenizeRequest, RecordingHandler>("tokenize");

        var error = Assert.Throws<InvalidOperationException>(() => services.AddQueueHandler<TokenizeRequest, FailingHandler>("tokenize"));

        Assert.Contains("'tokenize' already has a handler", error.Message);
    }

    [Fact]
    public async Task A_poisoned_body_too_large_to_copy_whole_is_cut_and_marked()
    {
        await using var worker = await WorkerHarness<RecordingHandler>.CreateAsync(azurite);
        var body = new string('x', 60_000);
        await worker.Queue.SendMessageAsync(body);

        await worker.Host.StartAsync();
        await WorkerHarness<RecordingHandler>.WaitUntilAsync(async () => await worker.CountAsync(worker.Poison) == 1, TimeSpan.FromSeconds(60), "the poison message");

        var poison = Assert.Single(await worker.PoisonedAsync());
        Assert.True(poison.BodyTruncated);
        Assert.StartsWith(poison.Body, body);
        Assert.True(poison.Body.Length > 1000);
        Assert.Equal("TokenizeRequest: the body is neither JSON nor base64-encoded JSON", poison.Reason);
    }

    [Fact]
    public async Task A_listener_outlives_storage_that_is_down_and_works_once_it_is_up()
    {
        var ports = AzuritePorts.PickFree();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[StorageOptions.ConnectionStringVariable] = ports.ConnectionString;
        builder.Configuration["Storage:MaxRetries"] = "1";
        builder.Configuration["Queues:MaxPollingInterval"] = "00:00:00.300";
        builder.AddQlipDefaults();
        builder.Services.AddSingleton<HandlerProbe>();
        builder.Services.AddQueueHandler<TokenizeRequest, RecordingHandler>("outage");
        using var host = builder.Build();
        await host.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // several failed receives

        var folder = Directory.CreateTempSubdirectory("qlip-outage-").FullName;
        var azuriteLater = await AzuriteProcess.StartAsync(
            Path.Combine(RepositoryRoot.Find(), AzuriteProcess.ScriptRelativePath), ports, folder, CancellationToken.None);
        try
        {
            var queue = new StorageClients(new StorageOptions { ConnectionString = ports.ConnectionString }).Queue("outage");
            await queue.CreateAsync();
            await queue.SendMessageAsync(QueueMessageCodec.Encode(WorkerHarness<RecordingHandler>.Request("00000010"), QueueBodyEncoding.Base64));
            var probe = host.Services.GetRequiredService<HandlerProbe>();
            await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await host.StopAsync();

            Assert.Equal("00000010", Assert.Single(probe.Calls).Message.ShardId);
        }
        finally
        {
            azuriteLater.Kill();
            Directory.Delete(folder, recursive: true);
        }
    }
}
