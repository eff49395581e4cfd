using Azure;
using Azure.Data.Tables;
using Qlip.Shared.Storage;

namespace Qlip.Ingest.Dedup;

/// <summary>
/// Exact dedup across a data set: one table row per image sha256 (table <c>imagehashes</c>), created with a conditional
/// insert, so when two shards race for the same image exactly one insert succeeds. A row that already names this very
/// shard is this shard's own claim from an earlier delivery and does not count as a duplicate, which keeps re-delivery
/// idempotent. PartitionKey = dataset + "-" + the sha's first two hex digits spreads a data set over 256 partitions
/// (a single partition tops out around 2,000 writes/s).
/// </summary>
public sealed class ImageDedupIndex(StorageClients clients)
{
    private readonly TableClient _table = clients.Table(StorageNames.Tables.ImageHashes);

    /// <summary>
    /// Claims every image of <paramref name="images"/> (sha256 → key, unique within the shard) for
    /// <paramref name="shardId"/>; returns the images some other shard owns, with their owner.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ImageOwner>> ClaimAsync(
        string dataset, string shardId, IReadOnlyDictionary<string, string> images, int concurrency, CancellationToken ct)
    {
        var taken = new System.Collections.Concurrent.ConcurrentDictionary<string, ImageOwner>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(images, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (image, token) =>
            {
                var owner = await ClaimOneAsync(dataset, shardId, image.Key, image.Value, token);
                if (owner.ShardId != shardId) taken[image.Key] = owner;
            });
        return taken;
    }

    /// <summary>The partition holding the claim row of <paramref name="sha256"/>.</summary>
    public static string PartitionKey(string dataset, string sha256) => $"{dataset}-{sha256[..2]}";

    private async Task<ImageOwner> ClaimOneAsync(string dataset, string shardId, string sha256, string key, CancellationToken ct)
    {
        var entity = new TableEntity(PartitionKey(dataset, sha256), sha256) { ["Shard"] = shardId, ["Key"] = key };
        try
        {
            await _table.AddEntityAsync(entity, ct);
            return new ImageOwner(shardId, key);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = (await _table.GetEntityAsync<TableEntity>(entity.PartitionKey, sha256, cancellationToken: ct)).Value;
            return new ImageOwner(existing.GetString("Shard") ?? "", existing.GetString("Key") ?? "");
        }
    }
}
