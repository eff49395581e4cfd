namespace Qlip.TrainerHost.Storage;

/// <summary>Values of <see cref="RunEntity.Status"/>.</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Interrupted = "interrupted";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";

    /// <summary>Whether a run in <paramref name="status"/> is over (nothing will train it again).</summary>
    public static bool IsFinal(string status) => status is Completed or Cancelled or Failed;
}
