namespace Qlip.TrainerHost;

/// <summary>Another host holds the run's lease: this delivery leaves the run alone (the message returns to the queue).</summary>
public sealed class RunLeasedException(string runId) : Exception($"run '{runId}' is leased by another trainer host; leaving it for later")
{
    public string RunId { get; } = runId;
}
