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

    /// <summary>Step budget when a run message gives only minutes (the cosine schedule needs a length).</summary>
    [Range(1, long.MaxValue)] public long DefaultMaxSteps { get; set; } = 100_000;
}
