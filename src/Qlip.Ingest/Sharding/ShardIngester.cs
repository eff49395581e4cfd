using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.Data.WebDataset;
using Qlip.Ingest.Dedup;
using Qlip.Ingest.Processing;
using Qlip.Ingest.Reading;
using Qlip.Shared.Storage;

namespace Qlip.Ingest.Sharding;

/// <summary>
/// Ingests one incoming file into <c>shards/{dataset}/{NNNNNNNN}.*</c>: streams it from the blob through
/// <see cref="ShardBuilder"/> into a local staging tar, claims its images in the dedup index only once the whole input
/// was read (so a file that fails half-way claims nothing), drops images other shards own, then hands the result to
/// <see cref="ShardPublisher"/>. A file whose stats already exist is left alone: re-delivery does nothing.
/// </summary>
public sealed class ShardIngester(
    StorageClients clients,
    ImageDedupIndex dedup,
    ShardPublisher publisher,
    IOptions<IngestOptions> options,
    ILogger<ShardIngester> logger)
{
    private readonly IngestOptions _options = options.Value;

    /// <summary>Ingests <paramref name="incoming"/>.</summary>
    /// <exception cref="ShardIngestException">The file cannot be ingested as a whole (unreadable, unnumbered, id taken).</exception>
    public async Task<ShardIngestResult> IngestAsync(IncomingBlob incoming, CancellationToken ct)
    {
        var name = $"{StorageNames.Containers.Incoming}/{incoming.Dataset}/{incoming.FileName}";
        if (ShardReaders.For(incoming.FileName, "", _options.MaxMemberBytes) is null)
            return Skip(incoming, "not a shard file (expected .tar, .tar.gz, .tgz or .parquet)");
        var number = ShardNumbering.FromFileName(incoming.FileName)
                     ?? throw new ShardIngestException(
                         $"{name}: no shard number in the file name (use 00000042.tar, sa_42.tar, part-00042-of-00100.parquet …)");
        var shardId = BlobLayout.ShardId(number);
        var reader = ShardReaders.For(incoming.FileName, shardId, _options.MaxMemberBytes)!;

        var statsBlob = clients.Blob(BlobLayout.ShardStats(incoming.Dataset, shardId));
        if (await statsBlob.ExistsAsync(ct))
        {
            var done = ShardStats.Parse((await statsBlob.DownloadContentAsync(ct)).Value.Content.ToMemory().Span);
            IngestLog.AlreadyDone(logger, name, shardId);
            return new ShardIngestResult(ShardIngestOutcome.AlreadyDone, shardId, done);
        }

        var work = Directory.CreateTempSubdirectory("qlip-ingest-");
        try
        {
            var input = await OpenInputAsync(incoming, reader, work.FullName, ct);
            await using (input.Stream)
            {
                if (reader is ParquetShardReader && !await ParquetShardReader.HasImageColumnAsync(input.Stream, ct))
                    return Skip(incoming, "parquet without an image column (img2dataset's metadata next to a tar)");
                if (input.Stream.CanSeek) input.Stream.Position = 0;
                var row = await ClaimShardIdAsync(incoming, shardId, name, ct);

                var staging = Path.Combine(work.FullName, "staging.tar");
                ShardBuild build;
                await using (var tar = File.Create(staging))
                {
                    try
                    {
                        build = await new ShardBuilder(new SampleProcessor(_options)).BuildAsync(
                            reader.ReadAsync(input.Stream, ct), incoming.FileName, tar, ct);
                        (row.SourceSha256, row.SourceBytes) = await input.FinishAsync(ct);
                    }
                    catch (ShardFormatException e)
                    {
                        row.Status = ShardStatus.Failed;
                        row.Error = $"{name} ({reader.Format}): {e.Message}";
                        await clients.Table(StorageNames.Tables.Shards).UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
                        throw new ShardIngestException(row.Error, e);
                    }
                }
                var owned = await DropImagesOwnedElsewhereAsync(incoming.Dataset, shardId, build, ct);
                var final = owned == 0 ? staging : await FilterAsync(staging, build, work.FullName, ct);
                var stats = await publisher.PublishAsync(new ShardOutput(incoming, shardId, build, final, row), ct);
                IngestLog.Ingested(logger, name, shardId, reader.Format, stats.Count, stats.Successes, owned);
                return new ShardIngestResult(ShardIngestOutcome.Ingested, shardId, stats);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private ShardIngestResult Skip(IncomingBlob incoming, string why)
    {
        IngestLog.Skipped(logger, incoming.Dataset, incoming.FileName, why);
        return new ShardIngestResult(ShardIngestOutcome.Skipped, null, null, why);
    }

    // Tars stream straight from the blob (hashed on the way); parquet needs seeking, so it is downloaded to local disk.
    private async Task<ShardInput> OpenInputAsync(IncomingBlob incoming, IShardReader reader, string work, CancellationToken ct)
    {
        var blob = clients.Blob(incoming.Path);
        if (reader is not ParquetShardReader)
        {
            var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 << 20 }, ct);
            var hashing = new Sha256ReadStream(stream);
            return new ShardInput(hashing, async token => (await hashing.FinishAsync(token), hashing.BytesRead));
        }
        var path = Path.Combine(work, "input.parquet");
        await blob.DownloadToAsync(path, ct);
        var file = File.OpenRead(path);
        return new ShardInput(file, async token =>
        {
            file.Position = 0;
            return (Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file, token)), file.Length);
        });
    }

    // The status row records which file a shard id came from, so two files naming the same shard fail loudly.
    private async Task<ShardEntity> ClaimShardIdAsync(IncomingBlob incoming, string shardId, string name, CancellationToken ct)
    {
        var table = clients.Table(StorageNames.Tables.Shards);
        var source = clients.Blob(incoming.Path);
        var row = new ShardEntity
        {
            PartitionKey = incoming.Dataset,
            RowKey = shardId,
            Status = ShardStatus.Ingesting,
            SourceUrl = source.Uri.GetLeftPart(UriPartial.Path),
        };
        try
        {
            await table.AddEntityAsync(row, ct);
            return row;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = (await table.GetEntityAsync<ShardEntity>(incoming.Dataset, shardId, cancellationToken: ct)).Value;
            if (existing.SourceUrl != row.SourceUrl)
                throw new ShardIngestException(
                    $"{name}: shard {shardId} of '{incoming.Dataset}' already comes from '{existing.SourceUrl}'; rename one of the files");
            return row;
        }
    }

    private async Task<int> DropImagesOwnedElsewhereAsync(string dataset, string shardId, ShardBuild build, CancellationToken ct)
    {
        var written = build.Written.ToDictionary(r => r.Sha256!, r => r.Key, StringComparer.Ordinal);
        var taken = await dedup.ClaimAsync(dataset, shardId, written, _options.DedupConcurrency, ct);
        foreach (var row in build.Written.ToList())
            if (taken.TryGetValue(row.Sha256!, out var owner))
                ProcessedSample.Rejected(row, RejectReasons.DuplicateImage, $"same image bytes as '{owner.Key}' in shard {owner.ShardId}");
        return taken.Count;
    }

    // Copies the staging tar without the samples that lost their dedup claim.
    private static async Task<string> FilterAsync(string staging, ShardBuild build, string work, CancellationToken ct)
    {
        var keep = build.Written.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var final = Path.Combine(work, "final.tar");
        await using var input = File.OpenRead(staging);
        await using var output = File.Create(final);
        await using var writer = new WebDatasetWriter(output, leaveOpen: true);
        await foreach (var sample in WebDatasetReader.ReadAsync(input, ct: ct))
            if (keep.Contains(sample.Key)) await writer.WriteAsync(sample, ct);
        return final;
    }
}
