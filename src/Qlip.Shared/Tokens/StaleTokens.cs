using Qlip.Data.Tokens;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Tokens;

/// <summary>
/// Queues the re-tokenization of a shard whose captions changed: one tokenize request per checkpoint whose tokens
/// manifest lists the shard with captions of another digest (<see cref="TokensManifestFile.CaptionsDigest"/>). Stateless:
/// once the tokenize worker has rewritten the file with the current digest nothing is queued, so repeating a caption
/// message queues nothing more, and one that failed before queueing queues on its retry.
/// </summary>
public static class StaleTokens
{
    /// <summary>Queues the requests; returns the checkpoint ids they were queued for.</summary>
    /// <param name="captionsDigest">The <c>ShardCaptions.DigestOf</c> the shard's captions parquet has now.</param>
    public static async Task<IReadOnlyList<string>> RequeueAsync(StorageClients clients, string dataset, string shardId, string captionsDigest,
        CancellationToken ct)
    {
        var queued = new List<string>();
        await foreach (var manifest in TokensManifests.ReadAllAsync(clients, dataset, ct))
        {
            // Manifests written before checkpoint_uri was recorded cannot name their checkpoint blob: they are left as they are.
            if (manifest.CheckpointUri is not { } checkpoint) continue;
            if (manifest.Files.FirstOrDefault(f => f.ShardId == shardId) is not { } file || file.CaptionsDigest == captionsDigest) continue;
            var request = new TokenizeRequest { Dataset = dataset, ShardId = shardId, CheckpointUri = checkpoint };
            await clients.Queue(StorageNames.Queues.Tokenize).SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64), ct);
            queued.Add(manifest.Checkpoint);
        }
        return queued;
    }
}
