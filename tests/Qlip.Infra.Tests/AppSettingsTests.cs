using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Qlip.Shared.Queues;
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
        foreach (var app in Apps(environment))
        {
            var env = DeploymentSnapshot.Env(app);
            var storageVariables = env.Keys.Where(n => n.StartsWith(StorageOptions.SectionName + "__", StringComparison.Ordinal)).ToList();
            // Stand-in URLs: in Azure each value is the account's endpoint, resolved at deployment.
            var configuration = Configuration(storageVariables.Select(n => (n, $"https://{n.ToLowerInvariant()}.example/")));

            var options = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>(o => o.ErrorOnUnknownConfiguration = true)!;

            Assert.Equal(3, storageVariables.Count);
            Assert.Null(options.ResolveConnectionString());
            var endpoints = options.ResolveKeylessEndpoints()!.Value;
            Assert.Equal("https://storage__blobserviceuri.example/", endpoints.Blob.AbsoluteUri);
            Assert.Equal("https://storage__queueserviceuri.example/", endpoints.Queue.AbsoluteUri);
            Assert.Equal("https://storage__tableserviceuri.example/", endpoints.Table.AbsoluteUri);
            Assert.False(env.ContainsKey(StorageOptions.ConnectionStringVariable));
        }
    }

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Queue_settings_bind_to_valid_QueueWorkerOptions(string environment)
    {
        foreach (var app in Apps(environment))
        {
            var queueVariables = DeploymentSnapshot.Env(app).Where(e => e.Key.StartsWith(QueueWorkerOptions.SectionName + "__", StringComparison.Ordinal))
                .Select(e => (e.Key, (string)e.Value["value"]!)).ToList();

            var options = Configuration(queueVariables).GetSection(QueueWorkerOptions.SectionName)
                .Get<QueueWorkerOptions>(o => o.ErrorOnUnknownConfiguration = true)!;

            Assert.NotEmpty(queueVariables);
            Assert.Equal(TimeSpan.FromSeconds(30), options.MaxPollingInterval);
            Assert.Empty(options.Validate(new ValidationContext(options)));
        }
    }

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Hosts_stop_within_the_platform_grace_period(string environment)
    {
        foreach (var app in Apps(environment))
        {
            var grace = (int)app["properties"]!["template"]!["terminationGracePeriodSeconds"]!;
            var hostStop = int.Parse((string)DeploymentSnapshot.Env(app)["DOTNET_shutdownTimeoutSeconds"]["value"]!);

            // Room for the queue workers to drain (their own ShutdownTimeout) before the platform kills the replica.
            Assert.InRange(hostStop, new QueueWorkerOptions().ShutdownTimeout.TotalSeconds, grace - 1);
        }
    }

    IReadOnlyList<JsonObject> Apps(string environment)
    {
        var apps = templates.Snapshots[environment].OfType(DeploymentSnapshot.ContainerAppType);
        Assert.Equal(3, apps.Count);
        return apps;
    }

    // What the environment-variables configuration provider does: "__" separates sections.
    static IConfigurationRoot Configuration(IEnumerable<(string Name, string Value)> variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => KeyValuePair.Create<string, string?>(
                v.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), v.Value)))
            .Build();
}
