namespace Qlip.Cli.Demo;

/// <summary>Everything the demo measured, for the console summary and report.md.</summary>
internal sealed record DemoSummary(
    DemoPlan Plan, IReadOnlyList<DemoStageResult> Stages, IReadOnlyList<DatasetCounts> Datasets,
    IReadOnlyDictionary<string, long> PendingMessages);
