using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.ML.Training.Recipes;
using Qlip.ML.Training.Stage1;
using Qlip.ML.Training.Stage2;

namespace Qlip.Cli.Demo;

/// <summary>One data set the demo makes from packaged real data and drops into the pipeline.</summary>
internal sealed record DemoDataset(string Name, string Source, DataSplit Split, int Limit, int ShardSize, ShardFormat Format);

/// <summary>What the demo runs: the full budget, or `--quick` for a smoke run of a few minutes.</summary>
internal sealed record DemoPlan(bool Quick, string OutputDirectory)
{
    /// <summary>The data set stage 1 trains on.</summary>
    public const string TrainDataset = "fmnist-train";

    /// <summary>The SA-1B-style data set without captions, recaptioned by the trained checkpoint.</summary>
    public const string CaptionDataset = "clipart-sa1b";

    // Shard sizes are the same for both budgets and every quick limit is a multiple of them, so the quick data set's
    // shards are byte-identical to the first shards of the full one and both budgets can share one storage.
    public IReadOnlyList<DemoDataset> Datasets =>
    [
        new(TrainDataset, "fashion-mnist", DataSplit.Train, Quick ? 5_000 : Recipe.TrainImages, 1_000, ShardFormat.WebDataset),
        new("fmnist-test", "fashion-mnist", DataSplit.Test, Quick ? 500 : 2_000, 500, ShardFormat.WebDataset),
        new("emoji", "emoji", DataSplit.Train, Quick ? 500 : 1_000, 500, ShardFormat.WebDataset),
        // SA-1B layout: images without captions, the input the recaptioning path exists for.
        new(CaptionDataset, "openclipart", DataSplit.Train, Quick ? 100 : 300, 100, ShardFormat.Sa1b),
    ];

    /// <summary>QLIP stage 1 on Fashion-MNIST train with the measured recipe (preset, steps, hyperparameters).</summary>
    public DemoRunSpec Stage1 => new("s1", QlipStage1RunKind.KindName, Recipe.Preset, TrainDataset, Datasets[0].Limit, Recipe.StepsFor(Quick), Seed: 0,
        new Dictionary<string, string>(Recipe.Hyperparameters) { ["checkpoint_every"] = "100" });

    /// <summary>A short QLIP stage 2 from the stage-1 run: frozen encoder, decoder trained with perceptual and GAN losses.</summary>
    public DemoRunSpec Stage2(string stage1RunId) => new("s2", QlipStage2RunKind.KindName, Recipe.Preset, TrainDataset, Datasets[0].Limit,
        Quick ? 50 : 200, Seed: 0, new Dictionary<string, string>
        {
            ["init_run"] = stage1RunId, ["batch_size"] = Recipe.Hyperparameters["batch_size"], ["checkpoint_every"] = "100",
        });

    private static FashionMnistRecipe Recipe => FashionMnistRecipe.Default;

    public string InputDirectory(DemoDataset dataset) => Path.Combine(OutputDirectory, "input", dataset.Name);

    /// <summary>How long the workers may take to drain a queue before the demo reports what is still pending.</summary>
    public TimeSpan DrainTimeout => Quick ? TimeSpan.FromMinutes(5) : TimeSpan.FromMinutes(20);
}
