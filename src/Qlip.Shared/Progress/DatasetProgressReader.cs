using Azure.Storage.Blobs.Models;
using Qlip.Data.Captions;
using Qlip.Shared.Storage;
using Qlip.Shared.Tokens;

namespace Qlip.Shared.Progress;

/// <summary>
/// Reads <see cref="DatasetProgress"/> from where each stage records its work: the <c>shards</c> table (ingest), the
/// captions parquets (captioning) and the tokens manifests (tokenize). Nothing is kept elsewhere, so the counts cannot
/// drift from the data.
/// </summary>
public static class DatasetProgressReader
{
    /// <summary>Every data set in the <c>shards</c> table (or only <paramref name="dataset"/>), sorted by name.</summary>
    public static async Task<IReadOnlyList<DatasetProgress>> ReadAsync(StorageClients clients, string? dataset, CancellationToken ct)
    {
        var table = clients.Table(StorageNames.Tables.Shards);
        var rows = dataset is null
            ? table.QueryAsync<ShardEntity>(cancellationToken: ct)
            : table.QueryAsync<ShardEntity>(e => e.PartitionKey == dataset, cancellationToken: ct);
        var shards = new SortedDictionary<string, List<ShardEntity>>(StringComparer.Ordinal);
        await foreach (var row in rows)
        {
            if (!shards.TryGetValue(row.PartitionKey, out var list)) shards[row.PartitionKey] = list = [];
            list.Add(row);
        }
        var progress = new List<DatasetProgress>();
        foreach (var (name, list) in shards)
        {
            var (captioned, failures) = await CaptionCountsAsync(clients, name, ct);
            progress.Add(new DatasetProgress(name, list.Count, list.Count(s => s.Status == ShardStatus.Failed), list.Sum(s => s.Successes),
                list.Sum(s => s.NeedsCaption), captioned, failures, await TokenizedAsync(clients, name, ct)));
        }
        return progress;
    }

    private static async Task<(long Captioned, long Failures)> CaptionCountsAsync(StorageClients clients, string dataset, CancellationToken ct)
    {
        var folder = BlobLayout.Captions(dataset, BlobLayout.ShardId(0));
        var container = clients.Blobs.GetBlobContainerClient(folder.Container);
        var prefix = folder.Name[..(folder.Name.LastIndexOf('/') + 1)];
        long captioned = 0, failures = 0;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
        {
            if (!item.Name.EndsWith(".parquet", StringComparison.Ordinal)) continue;
            using var content = (await container.GetBlobClient(item.Name).DownloadContentAsync(ct)).Value.Content.ToStream();
            foreach (var row in await CaptionsParquet.ReadAsync(content, ct))
                if (row.Status == CaptionRow.Success) captioned++;
                else failures++;
        }
        return (captioned, failures);
    }

    private static async Task<IReadOnlyDictionary<string, long>> TokenizedAsync(StorageClients clients, string dataset, CancellationToken ct)
    {
        var tokenized = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var manifest in TokensManifests.ReadAllAsync(clients, dataset, ct))
            tokenized[manifest.Checkpoint] = manifest.TotalRows;
        return tokenized;
    }
}
