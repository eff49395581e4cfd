using System.Text.Json.Nodes;
using Qlip.Shared.Storage;

namespace Qlip.Infra.Tests;

/// <summary>Each host scales 0..N on its own work queue through KEDA's azure-queue scaler, authenticated by identity.</summary>
[Collection(InfraCollection.Name)]
public sealed class ScaleRuleTests(InfraTemplates templates)
{
    // Tokenization runs where the model is loaded: the trainer host.
    static readonly Dictionary<string, string[]> QueuesOfApp = new()
    {
        ["ingest"] = [StorageNames.Queues.Ingest],
        ["captioning"] = [StorageNames.Queues.Caption],
        ["trainer"] = [StorageNames.Queues.TrainRuns, StorageNames.Queues.Tokenize],
    };

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Each_app_scales_from_zero_on_its_queue_with_the_identity(string environment)
    {
        var snapshot = templates.Snapshots[environment];
        var apps = snapshot.OfType(DeploymentSnapshot.ContainerAppType);

        Assert.Equal(QueuesOfApp.Keys.Order(), apps.Select(Role).Order());
        foreach (var app in apps)
        {
            var scale = app["properties"]!["template"]!["scale"]!;
            var rules = scale["rules"]!.AsArray().Select(r => r!["azureQueue"]!).ToList();
            Assert.Equal(QueuesOfApp[Role(app)], rules.Select(q => (string)q["queueName"]!));
            Assert.All(rules, queue =>
            {
                Assert.Equal((string?)snapshot.StorageAccount["name"], (string?)queue["accountName"]);
                Assert.Equal(snapshot.IdentityId, (string?)queue["identity"]);
                Assert.Null(queue["auth"]);
                Assert.True((int)queue["queueLength"]! >= 1);
            });
            Assert.Equal(0, (int)scale["minReplicas"]!);
            Assert.True((int)scale["maxReplicas"]! >= 1);
            Assert.True(app["identity"]!["userAssignedIdentities"]!.AsObject().ContainsKey(snapshot.IdentityId));
            Assert.Equal(snapshot.IdentityId, (string?)app["properties"]!["configuration"]!["registries"]!.AsArray().Single()!["identity"]);
            Assert.EndsWith($".loginServer, 'qlip-{(Role(app) == "trainer" ? "trainerhost" : Role(app))}', '{InfraTemplates.ImageTag}')]",
                (string)app["properties"]!["template"]!["containers"]![0]!["image"]!);
        }
    }

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Every_work_queue_and_no_poison_queue_wakes_an_app(string environment)
    {
        var watched = templates.Snapshots[environment].OfType(DeploymentSnapshot.ContainerAppType)
            .SelectMany(a => a["properties"]!["template"]!["scale"]!["rules"]!.AsArray())
            .Select(r => (string)r!["azureQueue"]!["queueName"]!);

        Assert.Equal(StorageNames.Queues.Work.Order(), watched.Order());
    }

    [Theory]
    [InlineData("dev", "Consumption-GPU-NC8as-T4")]
    [InlineData("prod", "Consumption-GPU-NC24-A100")]
    public void Trainer_runs_on_the_gpu_profile_and_one_run_per_replica(string environment, string gpuType)
    {
        var snapshot = templates.Snapshots[environment];
        var profiles = snapshot.Single("Microsoft.App/managedEnvironments")["properties"]!["workloadProfiles"]!.AsArray();
        var apps = snapshot.OfType(DeploymentSnapshot.ContainerAppType).ToDictionary(Role);

        var gpuProfile = profiles.Single(p => (string?)p!["workloadProfileType"] == gpuType)!;
        Assert.Equal((string?)gpuProfile["name"], (string?)apps["trainer"]["properties"]!["workloadProfileName"]);
        Assert.Equal(1, (int)apps["trainer"]["properties"]!["template"]!["scale"]!["rules"]![0]!["azureQueue"]!["queueLength"]!);
        // Scale-in sends SIGTERM: the trainer gets time to write a checkpoint before SIGKILL.
        Assert.Equal(300, (int)apps["trainer"]["properties"]!["template"]!["terminationGracePeriodSeconds"]!);
        Assert.Equal("Consumption", (string?)apps["ingest"]["properties"]!["workloadProfileName"]);
        Assert.Equal("Consumption", (string?)apps["captioning"]["properties"]!["workloadProfileName"]);
    }

    [Fact]
    public void Without_an_image_tag_the_platform_deploys_without_apps()
    {
        var platform = templates.PlatformOnly;

        Assert.Empty(platform.OfType(DeploymentSnapshot.ContainerAppType));
        Assert.Single(platform.OfType("Microsoft.App/managedEnvironments"));
        Assert.Equal(StorageNames.Queues.All.Count, platform.OfType(DeploymentSnapshot.QueueType).Count);
    }

    static string Role(JsonObject app) => ((string)app["name"]!).Split('-')[^1];
}
