using Qlip.Data.Making;
using Qlip.Data.Sets;

namespace Qlip.Cli.Demo;

/// <summary>One data set the demo makes from packaged real data and drops into the pipeline.</summary>
internal sealed record DemoDataset(string Name, string Source, DataSplit Split, int Limit, int ShardSize, ShardFormat Format);

/// <summary>What the demo runs: the full budget, or `--quick` for a smoke run of a few minutes.</summary>
internal sealed record DemoPlan(bool Quick, string OutputDirectory)
{
    public IReadOnlyList<DemoDataset> Datasets =>
    [
        new("fmnist-train", "fashion-mnist", DataSplit.Train, Quick ? 2_000 : 20_000, Quick ? 500 : 2_000, ShardFormat.WebDataset),
        new("fmnist-test", "fashion-mnist", DataSplit.Test, Quick ? 500 : 2_000, 500, ShardFormat.WebDataset),
        new("emoji", "emoji", DataSplit.Train, Quick ? 300 : 1_000, 500, ShardFormat.WebDataset),
        // SA-1B layout: images without captions, the input the recaptioning path exists for.
        new("clipart-sa1b", "openclipart", DataSplit.Train, Quick ? 100 : 300, 100, ShardFormat.Sa1b),
    ];

    public string InputDirectory(DemoDataset dataset) => Path.Combine(OutputDirectory, "input", dataset.Name);

    /// <summary>How long the workers may take to drain every queue before the demo reports what is still pending.</summary>
    public TimeSpan DrainTimeout => Quick ? TimeSpan.FromMinutes(5) : TimeSpan.FromMinutes(20);
}
