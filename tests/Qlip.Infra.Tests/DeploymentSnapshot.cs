using System.Text.Json.Nodes;

namespace Qlip.Infra.Tests;

/// <summary>
/// The resources `bicep snapshot` predicts for one parameter file: the template evaluated with its parameters, so
/// names built from loops and names.json are plain strings. Values only known at deployment time stay ARM
/// expressions such as <c>[reference('…/id-qlip-dev', '…').principalId]</c>.
/// </summary>
public sealed class DeploymentSnapshot(string parameterFile, JsonNode root)
{
    public const string IdentityType = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string StorageAccountType = "Microsoft.Storage/storageAccounts";
    public const string ContainerType = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string QueueType = "Microsoft.Storage/storageAccounts/queueServices/queues";
    public const string TableType = "Microsoft.Storage/storageAccounts/tableServices/tables";
    public const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    public const string ContainerAppType = "Microsoft.App/containerApps";

    public string ParameterFile { get; } = parameterFile;

    public IReadOnlyList<JsonObject> Resources { get; } =
        root["predictedResources"]?.AsArray().Select(r => r!.AsObject()).ToList()
        ?? throw new InvalidDataException($"{parameterFile}: snapshot has no predictedResources");

    public JsonObject Outputs { get; } = root["outputs"]?.AsObject() ?? [];

    public IReadOnlyList<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase)).ToList();

    public JsonObject Single(string type)
    {
        var matches = OfType(type);
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidDataException($"{ParameterFile}: expected one {type}, found {matches.Count}");
    }

    /// <summary>Last name segment of every resource of a child type ("account/default/shards" → "shards").</summary>
    public IReadOnlyList<string> ChildNames(string type) =>
        OfType(type).Select(r => ((string)r["name"]!).Split('/')[^1]).ToList();

    /// <summary>Resource id of the one user-assigned identity.</summary>
    public string IdentityId => (string)Single(IdentityType)["id"]!;

    public JsonObject StorageAccount => Single(StorageAccountType);

    /// <summary>The environment variables of a container app's one container, by name.</summary>
    public static Dictionary<string, JsonObject> Env(JsonObject app) =>
        app["properties"]!["template"]!["containers"]!.AsArray().Single()!["env"]!.AsArray()
            .Select(e => e!.AsObject()).ToDictionary(e => (string)e["name"]!);
}
