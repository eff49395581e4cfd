using System.Text.Json.Nodes;
using Qlip.Shared.Storage;

namespace Qlip.Infra.Tests;

/// <summary>The templates declare exactly the containers, queues and tables of <see cref="StorageNames"/>.</summary>
[Collection(InfraCollection.Name)]
public sealed class StorageNameTests(InfraTemplates templates)
{
    static readonly IReadOnlyList<string> AllQueues = StorageNames.Queues.All;

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Deployment_declares_exactly_the_names_the_code_uses(string environment)
    {
        var snapshot = templates.Snapshots[environment];

        var drifts = Drifts(snapshot);

        Assert.All(drifts, drift => Assert.True(drift.IsEmpty, $"{environment}: {drift}"));
        Assert.Equal(StorageNames.Containers.All.Count, snapshot.OfType(DeploymentSnapshot.ContainerType).Count);
        Assert.Equal(8, snapshot.OfType(DeploymentSnapshot.QueueType).Count);
    }

    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Outputs_list_the_names_the_code_uses(string environment)
    {
        var outputs = templates.Snapshots[environment].Outputs;

        Assert.Equal(StorageNames.Containers.All, Strings(outputs["containers"]));
        Assert.Equal(StorageNames.Queues.Work, Strings(outputs["queues"]));
        Assert.Equal(StorageNames.Queues.Work.Select(StorageNames.Queues.PoisonOf), Strings(outputs["poisonQueues"]));
        Assert.Equal(StorageNames.Tables.All, Strings(outputs["tables"]));
    }

    [Fact]
    public void Names_json_mirrors_StorageNames_in_order()
    {
        var names = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraTemplates.SourceDirectory, "names.json")))!;

        Assert.Equal(StorageNames.Containers.All, Strings(names["containers"]));
        // main.bicep picks ingest/caption/tokenize/train-runs by position, so the order matters too.
        Assert.Equal(StorageNames.Queues.Work, Strings(names["queues"]));
        Assert.Equal(StorageNames.Queues.PoisonOf(""), (string?)names["poisonSuffix"]);
        Assert.Equal(StorageNames.Tables.All, Strings(names["tables"]));
    }

    [Fact]
    public async Task A_renamed_or_extra_name_in_names_json_is_reported_as_drift()
    {
        var copy = InfraTemplates.CopyToTemp(InfraTemplates.SourceDirectory);
        try
        {
            var path = Path.Combine(copy, "names.json");
            var names = JsonNode.Parse(File.ReadAllText(path))!;
            names["containers"]!.AsArray().Add("scratch");
            names["tables"]!.AsArray().RemoveAt(StorageNames.Tables.All.ToList().IndexOf(StorageNames.Tables.Runs));
            File.WriteAllText(path, names.ToJsonString());

            var snapshot = await InfraTemplates.SnapshotAsync(copy, "params/dev.bicepparam", InfraTemplates.WithImages);
            var drifts = Drifts(snapshot).Where(d => !d.IsEmpty).ToList();

            Assert.Equal(2, drifts.Count);
            Assert.Equal(new NameDrift("containers", [], ["scratch"]).ToString(), drifts[0].ToString());
            Assert.Equal(new NameDrift("tables", [StorageNames.Tables.Runs], []).ToString(), drifts[1].ToString());
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    static IReadOnlyList<NameDrift> Drifts(DeploymentSnapshot snapshot) =>
    [
        NameDrift.Between("containers", StorageNames.Containers.All, snapshot.ChildNames(DeploymentSnapshot.ContainerType)),
        NameDrift.Between("queues", AllQueues, snapshot.ChildNames(DeploymentSnapshot.QueueType)),
        NameDrift.Between("tables", StorageNames.Tables.All, snapshot.ChildNames(DeploymentSnapshot.TableType)),
    ];

    static List<string> Strings(JsonNode? array) =>
        array?.AsArray().Select(n => (string)n!).ToList() ?? throw new InvalidDataException("expected a JSON array");
}
