using Azure;
using Azure.Storage.Blobs.Models;
using Qlip.Data.Tokens;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// The tokens container: one shard's Parquet file written idempotently, then the dataset's manifest updated under
/// optimistic concurrency (the manifest never lists a file that is not complete); and reading both back.
/// </summary>
public sealed class TokensStore(StorageClients clients)
{
    /// <summary>What a publish did with the shard file.</summary>
    public enum FileOutcome { Created, Identical, Replaced }

    /// <summary>
    /// Writes <paramref name="rows"/> as <c>tokens/{dataset}/{checkpoint}/{shard}.parquet</c>: created if absent, left alone
    /// when the stored bytes are identical (a redelivery), replaced when they differ (re-tokenized). Then adds the file to
    /// the manifest (same shard id: replaced, never duplicated) with the digest of the captions it was made from, and
    /// records <paramref name="checkpointUri"/> (without its query string) so the file can be queued again.
    /// </summary>
    /// <exception cref="InvalidDataException">The manifest holds another bits or grid for this checkpoint.</exception>
    public async Task<FileOutcome> PublishAsync(string dataset, string checkpoint, Uri checkpointUri, string shardId, IReadOnlyList<TokenRow> rows,
        string captionsDigest, CancellationToken ct)
    {
        if (rows.Count == 0) throw new ArgumentException($"shard {dataset}/{shardId} has no rows to publish", nameof(rows));
        using var buffer = new MemoryStream();
        await TokensParquet.WriteAsync(rows, buffer, ct);
        var bytes = buffer.ToArray();
        var outcome = await WriteFileAsync(clients.Blob(BlobLayout.Tokens(dataset, checkpoint, shardId)), bytes, ct);

        var file = new TokensManifestFile(shardId, $"{shardId}.parquet", rows.Count, captionsDigest);
        var blobUri = new Uri(checkpointUri.GetLeftPart(UriPartial.Path));
        var first = rows[0];
        await BlobOptimisticUpdate.UpdateAsync(clients.Blob(BlobLayout.TokensManifest(dataset, checkpoint)), current =>
        {
            var manifest = current is null
                ? new TokensManifest { Dataset = dataset, Checkpoint = checkpoint, Bits = first.Bits, GridH = first.GridH, GridW = first.GridW, Files = [] }
                : TokensManifest.FromJson(current);
            if (manifest.Bits != first.Bits || manifest.GridH != first.GridH || manifest.GridW != first.GridW)
                throw new InvalidDataException(
                    $"tokens manifest {dataset}/{checkpoint}: {manifest.Bits} bits {manifest.GridH}×{manifest.GridW}, shard {shardId} has {first.Bits} bits {first.GridH}×{first.GridW}");
            return (manifest.With(file) with { CheckpointUri = blobUri }).ToJson();
        }, ct);
        return outcome;
    }

    /// <summary>The manifest of <paramref name="dataset"/> tokenized by <paramref name="checkpoint"/>.</summary>
    /// <exception cref="FileNotFoundException">The dataset has no tokens for that checkpoint.</exception>
    public async Task<TokensManifest> ReadManifestAsync(string dataset, string checkpoint, CancellationToken ct)
    {
        var blob = clients.Blob(BlobLayout.TokensManifest(dataset, checkpoint));
        try
        {
            return TokensManifest.FromJson((await blob.DownloadContentAsync(ct)).Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"no tokens for dataset '{dataset}' and checkpoint '{checkpoint}' ({blob.BlobContainerName}/{blob.Name} not found)", blob.Name, e);
        }
    }

    /// <summary>Opens a file of the manifest (path relative to the manifest's folder) for reading.</summary>
    public async Task<Stream> OpenAsync(string dataset, string checkpoint, string path, CancellationToken ct)
    {
        var manifest = BlobLayout.TokensManifest(dataset, checkpoint);
        var folder = manifest.Name[..(manifest.Name.LastIndexOf('/') + 1)];
        var blob = clients.Blobs.GetBlobContainerClient(manifest.Container).GetBlobClient(folder + path);
        var content = (await blob.DownloadContentAsync(ct)).Value.Content;
        return content.ToStream();
    }

    /// <summary>Every row of the dataset, in manifest order (shard id, then row order).</summary>
    public async Task<List<TokenRow>> ReadAllRowsAsync(TokensManifest manifest, CancellationToken ct)
    {
        var rows = new List<TokenRow>();
        foreach (var file in manifest.Files)
        {
            await using var stream = await OpenAsync(manifest.Dataset, manifest.Checkpoint, file.Path, ct);
            var fileRows = await TokensParquet.ReadAsync(stream, ct);
            if (fileRows.Count != file.Rows)
                throw new InvalidDataException($"tokens file '{file.Path}': {fileRows.Count} rows, manifest says {file.Rows}");
            rows.AddRange(fileRows);
        }
        return rows;
    }

    private static async Task<FileOutcome> WriteFileAsync(Azure.Storage.Blobs.BlobClient blob, byte[] bytes, CancellationToken ct)
    {
        try
        {
            await blob.UploadAsync(new BinaryData(bytes), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
            return FileOutcome.Created;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }
        var existing = await blob.DownloadContentAsync(ct);
        if (existing.Value.Content.ToMemory().Span.SequenceEqual(bytes)) return FileOutcome.Identical;
        // Different bytes: the shard or the captions changed since; the newest tokenization wins.
        await blob.UploadAsync(new BinaryData(bytes), new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfMatch = existing.Value.Details.ETag },
        }, ct);
        return FileOutcome.Replaced;
    }
}
