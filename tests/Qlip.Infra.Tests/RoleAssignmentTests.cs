using System.Text.RegularExpressions;

namespace Qlip.Infra.Tests;

/// <summary>Every role assignment goes to the user-assigned identity, with the least roles the pipeline needs.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class RoleAssignmentTests(InfraTemplates templates)
{
    // Built-in role definition ids.
    const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [GeneratedRegex(@"^\[extensionResourceId\('(?<scope>[^']+)', 'Microsoft\.Authorization/roleAssignments'")]
    private static partial Regex ScopeOfAssignment();

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Every_assignment_is_for_the_user_assigned_identity(string environment)
    {
        var snapshot = templates.Snapshots[environment];
        var principal = $"[reference('{snapshot.IdentityId}', ";

        var assignments = snapshot.OfType(DeploymentSnapshot.RoleAssignmentType);

        Assert.NotEmpty(assignments);
        Assert.All(assignments, a =>
        {
            Assert.StartsWith(principal, (string)a["properties"]!["principalId"]!);
            Assert.EndsWith(").principalId]", (string)a["properties"]!["principalId"]!);
            Assert.Equal("ServicePrincipal", (string?)a["properties"]!["principalType"]);
        });
    }

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Roles_are_exactly_the_data_roles_and_pull_secret_and_telemetry_rights(string environment)
    {
        var snapshot = templates.Snapshots[environment];
        var typeOfId = snapshot.Resources.ToDictionary(r => (string)r["id"]!, r => (string)r["type"]!, StringComparer.OrdinalIgnoreCase);

        var granted = snapshot.OfType(DeploymentSnapshot.RoleAssignmentType).Select(a =>
        {
            var scope = ScopeOfAssignment().Match((string)a["id"]!);
            Assert.True(scope.Success, $"role assignment without a resource scope: {a["id"]}");
            var role = ((string)a["properties"]!["roleDefinitionId"]!).Split('/')[^1];
            return $"{typeOfId[scope.Groups["scope"].Value]} {role}";
        }).Order().ToList();

        string[] expected =
        [
            $"Microsoft.ContainerRegistry/registries {AcrPull}",
            $"Microsoft.Insights/components {MonitoringMetricsPublisher}",
            $"Microsoft.KeyVault/vaults {KeyVaultSecretsUser}",
            $"Microsoft.Storage/storageAccounts {TableDataContributor}",
            $"Microsoft.Storage/storageAccounts {QueueDataContributor}",
            $"Microsoft.Storage/storageAccounts {BlobDataContributor}",
        ];
        Assert.Equal(expected.Order(), granted);
    }
}
