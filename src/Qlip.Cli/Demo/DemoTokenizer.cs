using Azure;
using Qlip.Data.Tokens;
using Qlip.Data.WebDataset;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.TrainerHost;
using Qlip.TrainerHost.Tokenize;

namespace Qlip.Cli.Demo;

/// <summary>
/// Tokenizes every clean shard of the demo's data sets with a completed run's published checkpoint through the
/// <c>tokenize</c> queue (shards already in the tokens manifest are not queued again), then exports each data set as one
/// standard Parquet file under <c>{out}/tokens/</c>.
/// </summary>
internal sealed class DemoTokenizer(StorageClients clients, string outputDirectory)
{
    private readonly TokensStore store = new(clients);

    /// <summary>Queues the shards not tokenized yet; returns how many samples were queued.</summary>
    public async Task<long> QueueAsync(IEnumerable<string> datasets, string runId, CancellationToken ct)
    {
        var checkpoint = clients.Blob(TrainRunHandler.PublishedWeights(runId)).Uri;
        long queued = 0;
        foreach (var dataset in datasets)
        {
            var done = (await ManifestAsync(dataset, runId, ct))?.Files.Select(f => f.ShardId).ToHashSet() ?? [];
            foreach (var (shard, samples) in await SizesAsync(dataset, ct))
            {
                var id = Path.GetFileNameWithoutExtension(shard);
                if (done.Contains(id)) continue;
                var request = new TokenizeRequest { Dataset = dataset, ShardId = id, CheckpointUri = checkpoint };
                await clients.Queue(StorageNames.Queues.Tokenize).SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64), ct);
                queued += samples;
            }
        }
        return queued;
    }

    /// <summary>Reads each data set's tokens manifest and writes <c>tokens/{dataset}.parquet</c> when it has rows.</summary>
    public async Task<IReadOnlyList<DatasetTokens>> ExportAsync(IEnumerable<string> datasets, string runId, CancellationToken ct)
    {
        var export = new TokensExport(store);
        var results = new List<DatasetTokens>();
        foreach (var dataset in datasets)
        {
            var shards = (await SizesAsync(dataset, ct)).Count;
            var manifest = await ManifestAsync(dataset, runId, ct);
            if (manifest is null)
            {
                results.Add(new DatasetTokens(dataset, shards, 0, 0, 0, 0, 0, null));
                continue;
            }
            var path = Path.Combine(outputDirectory, "tokens", $"{dataset}.parquet");
            await export.ToParquetAsync(dataset, runId, path, ct);
            results.Add(new DatasetTokens(dataset, shards, manifest.Files.Count, manifest.TotalRows, manifest.Bits, manifest.GridH, manifest.GridW,
                Path.GetRelativePath(outputDirectory, path).Replace('\\', '/')));
        }
        return results;
    }

    /// <summary>Rows tokenized so far by <paramref name="runId"/> over <paramref name="datasets"/>.</summary>
    public async Task<long> RowsAsync(IEnumerable<string> datasets, string runId, CancellationToken ct)
    {
        long rows = 0;
        foreach (var dataset in datasets) rows += (await ManifestAsync(dataset, runId, ct))?.TotalRows ?? 0;
        return rows;
    }

    private async Task<TokensManifest?> ManifestAsync(string dataset, string runId, CancellationToken ct)
    {
        try
        {
            return await store.ReadManifestAsync(dataset, runId, ct);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private async Task<SortedDictionary<string, long>> SizesAsync(string dataset, CancellationToken ct)
    {
        try
        {
            return DatasetSizes.Parse((await clients.Blob(BlobLayout.Sizes(dataset)).DownloadContentAsync(ct)).Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];  // nothing ingested: nothing to tokenize, which the counts table shows
        }
    }
}
