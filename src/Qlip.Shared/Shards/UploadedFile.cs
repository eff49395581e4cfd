using Qlip.Shared.Storage;

namespace Qlip.Shared.Shards;

/// <summary>One local file that <see cref="ShardUploader"/> put under <c>incoming/</c>.</summary>
/// <param name="LocalPath">The file on disk.</param>
/// <param name="Blob">Where it went.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Queued">True for a shard whose BlobCreated event went to the ingest queue.</param>
public sealed record UploadedFile(string LocalPath, BlobPath Blob, long Bytes, bool Queued);
