using System.ComponentModel.DataAnnotations;

namespace Qlip.Shared.Storage;

/// <summary>
/// Where the pipeline's blobs, queues and tables live. Either a connection string (<c>QLIP_STORAGE</c>, default the
/// local dev store on 127.0.0.1:10000-10002) or service URLs used keyless with <c>DefaultAzureCredential</c>.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary>Configuration key (and environment variable) that holds a connection string.</summary>
    public const string ConnectionStringVariable = "QLIP_STORAGE";

    /// <summary>A storage connection string. Never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Keyless Azure: the account name, expanded to https://{name}.{blob|queue|table}.core.windows.net.</summary>
    public string? AccountName { get; set; }

    /// <summary>Keyless Azure with explicit endpoints (all three together); overrides <see cref="AccountName"/>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <inheritdoc cref="BlobServiceUri"/>
    public Uri? QueueServiceUri { get; set; }

    /// <inheritdoc cref="BlobServiceUri"/>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Retries of a transient fault (5xx, 408, 429, connection errors) per request.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when neither a connection string nor keyless endpoints are configured.</summary>
    public bool UsesDefaultDevStore =>
        string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(AccountName) && BlobServiceUri is null
        && QueueServiceUri is null && TableServiceUri is null;

    /// <summary>The connection string to use, or null in keyless mode.</summary>
    public string? ResolveConnectionString() =>
        !string.IsNullOrWhiteSpace(ConnectionString) ? ConnectionString
        : UsesDefaultDevStore ? DevelopmentStorage.ConnectionString() : null;

    /// <summary>Endpoints for keyless mode (null when a connection string is used).</summary>
    public (Uri Blob, Uri Queue, Uri Table)? ResolveKeylessEndpoints()
    {
        if (ResolveConnectionString() is not null) return null;
        if (BlobServiceUri is not null && QueueServiceUri is not null && TableServiceUri is not null)
            return (BlobServiceUri, QueueServiceUri, TableServiceUri);
        return (Endpoint("blob"), Endpoint("queue"), Endpoint("table"));
    }

    private Uri Endpoint(string service) => new($"https://{AccountName}.{service}.core.windows.net");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var uris = new[] { BlobServiceUri, QueueServiceUri, TableServiceUri }.Count(u => u is not null);
        if (uris is not 0 and not 3)
            yield return new ValidationResult("set all of BlobServiceUri, QueueServiceUri and TableServiceUri, or none",
                [nameof(BlobServiceUri), nameof(QueueServiceUri), nameof(TableServiceUri)]);
        if (!string.IsNullOrWhiteSpace(ConnectionString) && (uris > 0 || !string.IsNullOrWhiteSpace(AccountName)))
            yield return new ValidationResult(
                $"set either {ConnectionStringVariable} (a connection string) or the keyless account settings, not both",
                [nameof(ConnectionString)]);
        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
            yield return new ValidationResult("need 0 < RetryBaseDelay <= RetryMaxDelay", [nameof(RetryBaseDelay)]);
    }
}
