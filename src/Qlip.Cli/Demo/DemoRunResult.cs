namespace Qlip.Cli.Demo;

/// <summary>A training run of the demo: its report, where its figures were copied, and whether this demo trained it or reused it.</summary>
internal sealed record DemoRunResult(DemoRunSpec Spec, bool Reused, TimeSpan Elapsed, RunReportData Report, IReadOnlyDictionary<string, string> Figures);
