using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure.Storage.Blobs;

namespace Qlip.Shared.Messages;

/// <summary>
/// Event Grid's <c>Microsoft.Storage.BlobCreated</c> event (Event Grid schema, metadata version 1), as Event Grid writes
/// it to the <c>ingest</c> queue in Azure and as <c>qlip shards add</c> writes it locally (Azurite emits no events).
/// </summary>
public sealed record BlobCreatedEvent : IQueueMessage<BlobCreatedEvent>
{
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";
    public const string SupportedMetadataVersion = "1";

    public required string Id { get; init; }

    /// <summary>The storage account's resource id in Azure; null locally.</summary>
    public string? Topic { get; init; }

    /// <summary><c>/blobServices/default/containers/{container}/blobs/{name}</c>.</summary>
    public required string Subject { get; init; }

    public required string EventType { get; init; }

    public required DateTimeOffset EventTime { get; init; }

    public required BlobCreatedData Data { get; init; }

    public string? DataVersion { get; init; }

    /// <summary>Event Grid's schema version of the envelope; this host reads "1".</summary>
    public string? MetadataVersion { get; init; }

    /// <inheritdoc/>
    public static JsonTypeInfo<BlobCreatedEvent> JsonTypeInfo => QlipJsonContext.Default.BlobCreatedEvent;

    /// <summary>The event Event Grid would send for a blob that was just written.</summary>
    public static BlobCreatedEvent For(Uri blobUrl, long contentLength, string? eTag, string? contentType, DateTimeOffset eventTime)
    {
        var parts = new BlobUriBuilder(blobUrl);
        return new BlobCreatedEvent
        {
            Id = Guid.NewGuid().ToString(),
            Subject = $"/blobServices/default/containers/{parts.BlobContainerName}/blobs/{parts.BlobName}",
            EventType = BlobCreatedType,
            EventTime = eventTime,
            Data = new BlobCreatedData
            {
                Api = "PutBlob",
                ContentType = contentType,
                ContentLength = contentLength,
                BlobType = "BlockBlob",
                Url = blobUrl,
                ETag = eTag,
            },
            DataVersion = "",
            MetadataVersion = SupportedMetadataVersion,
        };
    }

    /// <inheritdoc/>
    public static string? CheckVersion(JsonElement root)
    {
        if (root.TryGetProperty("metadataVersion", out var version)
            && !(version.ValueKind == JsonValueKind.String && version.GetString() == SupportedMetadataVersion))
            return $"BlobCreated: unknown metadataVersion {version.GetRawText()} (this host reads \"{SupportedMetadataVersion}\")";
        if (root.TryGetProperty("eventType", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() != BlobCreatedType)
            return $"BlobCreated: eventType is '{type.GetString()}', expected '{BlobCreatedType}'";
        return null;
    }

    /// <inheritdoc/>
    public string? Validate()
    {
        if (EventType != BlobCreatedType) return $"BlobCreated: eventType is '{EventType}', expected '{BlobCreatedType}'";
        if (!Data.Url.IsAbsoluteUri) return $"BlobCreated: data.url '{Data.Url}' is not absolute";
        if (Data.ContentLength < 0) return $"BlobCreated: data.contentLength {Data.ContentLength} is negative";
        return null;
    }
}
