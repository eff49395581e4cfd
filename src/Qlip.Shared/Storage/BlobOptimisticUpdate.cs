using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Qlip.Shared.Storage;

/// <summary>
/// Read-modify-write of a small blob under optimistic concurrency: the write is conditional on the ETag that was read
/// (or on the blob not existing yet), and a lost race (412/409) reads again and re-applies the change. Many writers
/// (e.g. ingest workers adding their shard to <c>sizes.json</c>) therefore never lose each other's updates.
/// </summary>
public static class BlobOptimisticUpdate
{
    /// <summary>Attempts before giving up; each lost race means another writer made progress.</summary>
    public const int MaxAttempts = 50;

    /// <summary>
    /// Applies <paramref name="update"/> (current content or null when the blob is missing → new content) until a
    /// conditional write succeeds. Returns the content written.
    /// </summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxAttempts"/> races were lost.</exception>
    public static async Task<byte[]> UpdateAsync(BlobClient blob, Func<byte[]?, byte[]> update, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            byte[]? current = null;
            var condition = new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                var download = await blob.DownloadContentAsync(ct);
                current = download.Value.Content.ToArray();
                condition = new BlobRequestConditions { IfMatch = download.Value.Details.ETag };
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
            var next = update(current);
            try
            {
                await blob.UploadAsync(new BinaryData(next), new BlobUploadOptions { Conditions = condition }, ct);
                return next;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Someone else wrote in between: read their version and apply ours on top.
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
            }
        }
        throw new InvalidOperationException($"{blob.BlobContainerName}/{blob.Name}: lost {MaxAttempts} update races in a row");
    }
}
