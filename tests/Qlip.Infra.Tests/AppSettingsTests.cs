using Microsoft.Extensions.Configuration;
using Qlip.Shared.Storage;

namespace Qlip.Infra.Tests;

/// <summary>The environment variables the templates give the apps bind to the options the code reads.</summary>
[Collection(InfraCollection.Name)]
public sealed class AppSettingsTests(InfraTemplates templates)
{
    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Storage_variables_bind_to_StorageOptions_in_keyless_mode(string environment)
    {
        foreach (var app in templates.Snapshots[environment].OfType(DeploymentSnapshot.ContainerAppType))
        {
            var env = app["properties"]!["template"]!["containers"]![0]!["env"]!.AsArray().Select(e => e!.AsObject()).ToList();
            var storageVariables = env.Select(e => (string)e["name"]!)
                .Where(n => n.StartsWith(StorageOptions.SectionName + "__", StringComparison.Ordinal)).ToList();
            // Stand-in URLs: in Azure each value is the account's endpoint, resolved at deployment.
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(storageVariables.Select(n => KeyValuePair.Create<string, string?>(
                    n.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), $"https://{n.ToLowerInvariant()}.example/")))
                .Build();

            var options = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>(o => o.ErrorOnUnknownConfiguration = true)!;

            Assert.Equal(3, storageVariables.Count);
            Assert.Null(options.ResolveConnectionString());
            var endpoints = options.ResolveKeylessEndpoints()!.Value;
            Assert.Equal("https://storage__blobserviceuri.example/", endpoints.Blob.AbsoluteUri);
            Assert.Equal("https://storage__queueserviceuri.example/", endpoints.Queue.AbsoluteUri);
            Assert.Equal("https://storage__tableserviceuri.example/", endpoints.Table.AbsoluteUri);
            Assert.DoesNotContain(env, e => (string?)e["name"] == StorageOptions.ConnectionStringVariable);
        }
    }
}
