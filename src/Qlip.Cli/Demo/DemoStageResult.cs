namespace Qlip.Cli.Demo;

/// <summary>One timed stage of the demo: what it processed and how fast, for the report's throughput table.</summary>
internal sealed record DemoStageResult(string Stage, long Items, string Unit, TimeSpan Elapsed)
{
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Items / Elapsed.TotalSeconds : 0;
}
