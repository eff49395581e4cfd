namespace Qlip.Cli.Demo;

/// <summary>Everything the demo measured, for the console summary and report.md.</summary>
internal sealed record DemoSummary(
    DemoPlan Plan, IReadOnlyList<DemoStageResult> Stages, IReadOnlyList<DatasetCounts> Datasets,
    IReadOnlyDictionary<string, long> PendingMessages)
{
    /// <summary>When the demo started (UTC) and on what machine (cores, load).</summary>
    public DateTimeOffset StartedAt { get; init; }

    public string Machine { get; init; } = "";

    public TimeSpan Elapsed { get; init; }

    public DemoRunResult? Stage1 { get; init; }

    public DemoRunResult? Stage2 { get; init; }

    public IReadOnlyList<DatasetTokens> Tokens { get; init; } = [];

    /// <summary>Samples with a caption from the recaptioning service, by data set.</summary>
    public IReadOnlyDictionary<string, long> Captioned { get; init; } = new Dictionary<string, long>();

    /// <summary>What the demo could not do in this build, said plainly in the report.</summary>
    public IReadOnlyList<string> Gaps { get; init; } = [];

    /// <summary>Every data set was ingested, stage 1 completed and every data set has tokens.</summary>
    public bool Succeeded =>
        Datasets.All(d => d.Shards > 0 && d.DoneShards == d.Shards) && Stage1 is not null
        && Tokens.Count == Datasets.Count && Tokens.All(t => t.Rows > 0 && t.TokenizedShards == t.Shards);
}
