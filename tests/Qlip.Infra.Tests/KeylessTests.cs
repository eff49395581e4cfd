using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Qlip.Infra.Tests;

/// <summary>No account key, SAS or connection string anywhere: every caller authenticates with Entra ID.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class KeylessTests(InfraTemplates templates)
{
    // ARM's list*() functions (listKeys, listAccountSas, listCredentials, …) hand out keys; then their serialized
    // forms and the properties that carry keys (a Log Analytics sharedKey, a registry password, …).
    [GeneratedRegex(@"\blist[A-Z]\w*\s*\(|AccountKey=|DefaultEndpointsProtocol=|SharedAccessSignature=|SharedAccessKey|""(sharedKey|primaryKey|secondaryKey|primarySharedKey|passwordSecretRef|password)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex KeyMaterial();

    [Fact]
    public void Compiled_template_reads_no_keys()
    {
        var hits = KeyMaterial().Matches(templates.CompiledMainTemplate).Select(m => m.Value).Distinct().ToList();

        Assert.True(hits.Count == 0, $"compiled main.bicep uses key material: {string.Join(", ", hits)}");
    }

    [Fact]
    public void The_key_scan_recognises_key_material()
    {
        string[] leaks =
        [
            "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'x'), '2025-01-01').keys[0].value]",
            "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc",
            "\"appLogsConfiguration\": { \"logAnalyticsConfiguration\": { \"sharedKey\": \"k\" } }",
        ];

        Assert.All(leaks, leak => Assert.Matches(KeyMaterial(), leak));
        Assert.DoesNotMatch(KeyMaterial(), "[reference('x', '2025-01-01').primaryEndpoints.blob]");
        Assert.DoesNotMatch(KeyMaterial(), "\"allowSharedKeyAccess\": false");
    }

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Storage_account_refuses_shared_keys_and_anonymous_reads(string environment)
    {
        var snapshot = templates.Snapshots[environment];
        var properties = snapshot.StorageAccount["properties"]!;

        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.All(snapshot.OfType(DeploymentSnapshot.ContainerType),
            c => Assert.Equal("None", (string?)c["properties"]!["publicAccess"]));
    }

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Registry_vault_and_monitoring_have_local_auth_off(string environment)
    {
        var snapshot = templates.Snapshots[environment];

        var registry = snapshot.Single("Microsoft.ContainerRegistry/registries")["properties"]!;
        Assert.False((bool)registry["adminUserEnabled"]!);
        Assert.False((bool)registry["anonymousPullEnabled"]!);
        Assert.True((bool)snapshot.Single("Microsoft.KeyVault/vaults")["properties"]!["enableRbacAuthorization"]!);
        Assert.True((bool)snapshot.Single("Microsoft.OperationalInsights/workspaces")["properties"]!["features"]!["disableLocalAuth"]!);
        Assert.True((bool)snapshot.Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!);
        // 'log-analytics' would need the workspace's shared key; 'azure-monitor' goes through a diagnostic setting.
        Assert.Equal("azure-monitor",
            (string?)snapshot.Single("Microsoft.App/managedEnvironments")["properties"]!["appLogsConfiguration"]!["destination"]);
    }

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Apps_get_service_uris_and_the_identity_never_a_credential(string environment)
    {
        var snapshot = templates.Snapshots[environment];
        var account = (string)snapshot.StorageAccount["id"]!;
        var identity = snapshot.IdentityId;

        Assert.Equal(3, snapshot.OfType(DeploymentSnapshot.ContainerAppType).Count);
        foreach (var app in snapshot.OfType(DeploymentSnapshot.ContainerAppType))
        {
            var env = DeploymentSnapshot.Env(app);
            Assert.Contains($"'{account}'", env["Storage__BlobServiceUri"]["value"]!.ToString());
            Assert.EndsWith(".primaryEndpoints.blob]", (string)env["Storage__BlobServiceUri"]["value"]!);
            Assert.EndsWith(".primaryEndpoints.queue]", (string)env["Storage__QueueServiceUri"]["value"]!);
            Assert.EndsWith(".primaryEndpoints.table]", (string)env["Storage__TableServiceUri"]["value"]!);
            Assert.Matches($@"^\[reference\('{Regex.Escape(identity)}', '[0-9a-z-]+'\)\.clientId\]$", (string)env["AZURE_CLIENT_ID"]["value"]!);
            foreach (var (name, variable) in env)
            {
                // App Insights' connection string only names the ingestion endpoint (local auth is off, see above).
                if (name == "APPLICATIONINSIGHTS_CONNECTION_STRING") continue;
                var looksSecret = name.Contains("KEY", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("CONNECTION", StringComparison.OrdinalIgnoreCase)
                    || name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase);
                Assert.False(looksSecret && variable["value"] is not null, $"{app["name"]}: {name} carries a literal value");
            }
            Assert.All(app["properties"]!["configuration"]!["secrets"]!.AsArray(), secret =>
            {
                Assert.Null(secret!["value"]);
                Assert.Equal(identity, (string?)secret["identity"]);
            });
        }
    }

    [Fact]
    public void Captioning_reads_its_api_key_from_key_vault_by_identity()
    {
        var snapshot = templates.Snapshots["dev"];
        var captioning = snapshot.OfType(DeploymentSnapshot.ContainerAppType).Single(a => ((string)a["name"]!).EndsWith("-captioning"));
        var vault = (string)snapshot.Single("Microsoft.KeyVault/vaults")["id"]!;

        var secret = captioning["properties"]!["configuration"]!["secrets"]!.AsArray().Single()!;
        Assert.Equal("caption-api-key", (string?)secret["name"]);
        Assert.Contains($"'{vault}'", (string)secret["keyVaultUrl"]!);
        Assert.Matches(@"^\[format\('\{0\}secrets/\{1\}', reference\('[^']+', '[0-9a-z-]+'\)\.vaultUri, 'caption-api-key'\)\]$",
            (string)secret["keyVaultUrl"]!);
        Assert.Equal("caption-api-key", (string?)DeploymentSnapshot.Env(captioning)["Captioning__ApiKey"]["secretRef"]);
        var stored = snapshot.Single("Microsoft.KeyVault/vaults/secrets");
        Assert.EndsWith("/caption-api-key", (string)stored["name"]!);
        // Straight from the secure parameter: the value never lands in a template, an output or an app setting.
        Assert.Equal("[parameters('captionApiKey')]", (string?)stored["properties"]!["value"]);
        Assert.DoesNotContain(InfraTemplates.CaptionApiKey, captioning.ToJsonString());
        // Without a key on the command line the deployment leaves the vault's secret alone (secure parameters stay
        // unevaluated in a snapshot, so the condition is checked as written).
        Assert.Equal("[not(empty(parameters('captionApiKey')))]", (string?)stored["condition"]);
    }
}
