using Azure;
using Azure.Data.Tables;

namespace Qlip.TrainerHost.Storage;

/// <summary>A row of the <c>runs</c> table: PartitionKey = run kind, RowKey = run id.</summary>
public sealed class RunEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>One of <see cref="RunStatus"/>.</summary>
    public string Status { get; set; } = "";

    /// <summary>The host that holds (or last held) the lease.</summary>
    public string? LeaseHolder { get; set; }

    public long Step { get; set; }

    /// <summary>The run's step budget (its schedule length; planned from the minutes when the message gives no steps).</summary>
    public long MaxSteps { get; set; }

    public long? LastCheckpoint { get; set; }

    /// <summary>Final evaluation as JSON, or the error that stopped the run.</summary>
    public string? Summary { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
