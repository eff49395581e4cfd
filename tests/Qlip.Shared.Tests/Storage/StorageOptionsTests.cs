using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Fact]
    public void Defaults_to_the_local_dev_store()
    {
        var options = Resolve([]);

        Assert.True(options.UsesDefaultDevStore);
        Assert.Contains("BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1", options.ResolveConnectionString());
        Assert.Contains("TableEndpoint=http://127.0.0.1:10002/devstoreaccount1", options.ResolveConnectionString());
    }

    [Fact]
    public void Reads_the_connection_string_from_QLIP_STORAGE()
    {
        var options = Resolve(new() { ["QLIP_STORAGE"] = DevelopmentStorage.ConnectionString(20000, 20001, 20002) });

        Assert.False(options.UsesDefaultDevStore);
        Assert.Contains("127.0.0.1:20001", options.ResolveConnectionString());
    }

    [Fact]
    public void Expands_an_account_name_to_keyless_endpoints()
    {
        var options = Resolve(new() { ["Storage:AccountName"] = "qlipdata" });
        var clients = new StorageClients(options);

        Assert.Null(options.ResolveConnectionString());
        Assert.Equal(new Uri("https://qlipdata.queue.core.windows.net"), options.ResolveKeylessEndpoints()!.Value.Queue);
        Assert.Equal("https://qlipdata.blob.core.windows.net/", clients.Describe());
    }

    [Fact]
    public void Fails_at_start_naming_the_keys_when_only_some_endpoints_are_set()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Resolve(new() { ["Storage:BlobServiceUri"] = "https://qlipdata.blob.core.windows.net" }));

        Assert.Contains("QueueServiceUri", error.Message);
    }

    [Fact]
    public void Fails_at_start_when_both_a_connection_string_and_keyless_settings_are_set()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Resolve(new() { ["QLIP_STORAGE"] = DevelopmentStorage.ConnectionString(), ["Storage:AccountName"] = "qlipdata" }));

        Assert.Contains("QLIP_STORAGE", error.Message);
    }

    private static StorageOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddQlipStorage();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<StorageOptions>>().Value;
    }
}
