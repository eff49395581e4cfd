using System.ComponentModel.DataAnnotations;

namespace Qlip.TrainerHost;

/// <summary>Settings of the trainer host (section <c>Trainer</c>).</summary>
public sealed class TrainerHostOptions
{
    public const string SectionName = "Trainer";

    /// <summary>This host's name in lease rows and logs (default: the machine name).</summary>
    [Required] public string HostId { get; set; } = Environment.MachineName;

    /// <summary>Blob lease on <c>runs/{id}/lease</c> (15-60 s, or infinite as -1 s is not allowed here); renewed every third of it.</summary>
    [Range(typeof(TimeSpan), "00:00:15", "00:01:00")] public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the handler looks for the run's cancel marker.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")] public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    [Required] public string Device { get; set; } = "cpu";

    /// <summary>
    /// This host's training pace, used only to plan the cosine schedule of a run that gives minutes and no steps
    /// (steps = minutes × this). The default is the <c>small</c> preset at batch 64 on an idle 2-core CPU (bench/results.md:
    /// 68 images/s forward + backward, less the optimizer and data time); set it from a
    /// run's <c>ms_per_step</c> on the host's hardware (a GPU host: thousands).
    /// </summary>
    [Range(0.01, 1_000_000)] public double StepsPerMinute { get; set; } = 40;
}
