using System.ComponentModel.DataAnnotations;

namespace Qlip.Shared.Queues;

/// <summary>
/// The Azure Functions queue-trigger settings, per queue: section <c>Queues</c>, overridden by <c>Queues:{queue}</c>.
/// Defaults are the Functions defaults except the polling ceiling, which is short for local development.
/// </summary>
public sealed class QueueWorkerOptions : IValidatableObject
{
    public const string SectionName = "Queues";

    /// <summary>Messages fetched per receive (Functions' batchSize; the service allows 32).</summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 16;

    /// <summary>The multiplier of the new-batch threshold (Functions uses the instance's cores).</summary>
    [Range(1, 1024)]
    public int Processors { get; set; } = Environment.ProcessorCount;

    /// <summary>A new batch is fetched when fewer than this many messages are in flight; default BatchSize/2 × Processors.</summary>
    [Range(1, 100_000)]
    public int? NewBatchThreshold { get; set; }

    /// <summary>Deliveries before a failing message goes to <c>{queue}-poison</c>.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a received message stays invisible; renewed at half this while its handler runs.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a failed message stays invisible before its retry (Functions: immediately).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.Zero;

    /// <summary>First wait after an empty receive; doubles (with jitter) up to <see cref="MaxPollingInterval"/>.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between receives of an idle queue.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>On shutdown, how long running handlers may finish before they are cancelled and their messages released.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The effective new-batch threshold.</summary>
    public int ResolveNewBatchThreshold() => NewBatchThreshold ?? Math.Max(1, BatchSize / 2 * Processors);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (VisibilityTimeout < TimeSpan.FromSeconds(1) || VisibilityTimeout > TimeSpan.FromDays(7))
            yield return new ValidationResult("VisibilityTimeout must be between 1 second and 7 days", [nameof(VisibilityTimeout)]);
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromDays(7))
            yield return new ValidationResult("RetryDelay must be between 0 and 7 days", [nameof(RetryDelay)]);
        if (MinPollingInterval <= TimeSpan.Zero || MaxPollingInterval < MinPollingInterval)
            yield return new ValidationResult("need 0 < MinPollingInterval <= MaxPollingInterval", [nameof(MinPollingInterval), nameof(MaxPollingInterval)]);
        if (ShutdownTimeout < TimeSpan.Zero)
            yield return new ValidationResult("ShutdownTimeout must not be negative", [nameof(ShutdownTimeout)]);
    }
}
