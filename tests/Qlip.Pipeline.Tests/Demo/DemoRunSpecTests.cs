using Qlip.Cli.Demo;
using Qlip.Shared.Storage;

namespace Qlip.Pipeline.Tests.Demo;

/// <summary>The demo's run ids: the same plan finds the same run again; anything that changes the weights names a new one.</summary>
public sealed class DemoRunSpecTests
{
    private static DemoRunSpec Spec(long steps = 300, string lr = "3e-3", long samples = 2_000) =>
        new("s1", "qlip-stage1", "tiny", "fmnist-train", samples, steps, Seed: 0, new Dictionary<string, string> { ["lr"] = lr, ["optimizer"] = "adamw" });

    [Fact]
    public void The_same_plan_gives_the_same_id_whatever_the_order_of_its_hyperparameters()
    {
        var reordered = Spec() with { Hyperparameters = new Dictionary<string, string> { ["optimizer"] = "adamw", ["lr"] = "3e-3" } };

        Assert.Equal(Spec().RunId, reordered.RunId);
        Assert.Equal(new DemoPlan(Quick: true, "/a").Stage1.RunId, new DemoPlan(Quick: true, "/b").Stage1.RunId);
        Assert.Matches("^demo-s1-[0-9a-f]{12}$", Spec().RunId);
    }

    [Fact]
    public void Steps_hyperparameters_data_and_budget_each_change_the_id()
    {
        var ids = new[] { Spec(), Spec(steps: 301), Spec(lr: "1e-3"), Spec(samples: 20_000), Spec() with { Preset = "small" }, Spec() with { Seed = 1 } }
            .Select(s => s.RunId).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.NotEqual(new DemoPlan(Quick: true, "/a").Stage1.RunId, new DemoPlan(Quick: false, "/a").Stage1.RunId);
    }

    [Fact]
    public void The_request_is_a_valid_train_run_message_on_the_data_sets_manifest()
    {
        var clients = new StorageClients(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });

        var request = Spec().ToRequest(clients);

        Assert.Null(request.Validate());
        Assert.Equal(Spec().RunId, request.RunId);
        Assert.Equal(300, request.Budget.Steps);
        Assert.EndsWith("/shards/fmnist-train/sizes.json", Assert.Single(request.ManifestUris).AbsolutePath);
        Assert.Equal("3e-3", request.Hyperparameters["lr"].GetString());
    }
}
