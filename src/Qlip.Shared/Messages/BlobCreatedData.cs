namespace Qlip.Shared.Messages;

/// <summary>The <c>data</c> part of Event Grid's <c>Microsoft.Storage.BlobCreated</c> event (the fields Qlip reads).</summary>
public sealed record BlobCreatedData
{
    /// <summary>The operation that created the blob, e.g. <c>PutBlob</c> or <c>PutBlockList</c>.</summary>
    public string? Api { get; init; }

    public string? ContentType { get; init; }

    public required long ContentLength { get; init; }

    public string? BlobType { get; init; }

    /// <summary>The blob's URL (no SAS).</summary>
    public required Uri Url { get; init; }

    public string? ETag { get; init; }

    /// <summary>Orders events of the same blob (Event Grid sets it; local uploads leave it null).</summary>
    public string? Sequencer { get; init; }
}
