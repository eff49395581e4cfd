using Azure.Storage.Blobs.Models;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Shards;

/// <summary>
/// <c>qlip shards add</c>: uploads shards and their companions (parquet metadata, <c>_stats.json</c>, <c>sizes.json</c>)
/// to <c>incoming/{dataset}/</c>, then enqueues for each shard the BlobCreated event Event Grid would send in Azure
/// (Azurite emits none), as plain JSON like Event Grid writes it. A shard is a tar (<c>.tar</c>, <c>.tar.gz</c>,
/// <c>.tgz</c>) or a parquet file with no tar of the same stem beside it (Hugging Face-style parquet with image bytes);
/// a parquet next to its tar is img2dataset's metadata and only uploaded.
/// </summary>
public sealed class ShardUploader(StorageClients clients, TimeProvider time)
{
    /// <summary>The files a folder contributes; anything else in it is left alone.</summary>
    public static bool IsShardFile(string fileName) =>
        IsTar(fileName) || fileName.EndsWith(".parquet", StringComparison.Ordinal)
        || fileName.EndsWith("_stats.json", StringComparison.Ordinal) || fileName == "sizes.json";

    /// <summary>The files among <paramref name="files"/> that get an ingest event: tars, and parquet files without a tar of the same stem.</summary>
    public static IReadOnlySet<string> QueuedFiles(IReadOnlyList<string> files)
    {
        var tarStems = files.Where(IsTar).Select(Stem).ToHashSet(StringComparer.Ordinal);
        return files.Where(f => IsTar(f) || (f.EndsWith(".parquet", StringComparison.Ordinal) && !tarStems.Contains(Stem(f))))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Files named directly, plus the shard files of each folder named, in a stable order.</summary>
    /// <exception cref="FileNotFoundException">A path does not exist (the message names it).</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(Path.GetFullPath(path));
            else if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path).Where(f => IsShardFile(Path.GetFileName(f))).Order(StringComparer.Ordinal).Select(Path.GetFullPath));
            else throw new FileNotFoundException($"no such file or folder: {path}", path);
        }
        var clash = files.GroupBy(Path.GetFileName).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ArgumentException($"two files would both become incoming/…/{clash.Key}: {string.Join(", ", clash)}");
        return files;
    }

    /// <summary>Uploads <paramref name="paths"/> (files or folders) and queues ingest for every shard among them (<see cref="QueuedFiles"/>).</summary>
    public async Task<IReadOnlyList<UploadedFile>> AddAsync(string dataset, IEnumerable<string> paths, CancellationToken ct)
    {
        var files = Expand(paths);
        if (files.Count == 0) throw new ArgumentException("no shard files (.tar, .tar.gz, .tgz, .parquet, _stats.json, sizes.json) in the given paths");
        var queued = QueuedFiles(files);
        var blobs = files.Select(f => BlobLayout.Incoming(dataset, Path.GetFileName(f))).ToList();
        var ingest = clients.Queue(StorageNames.Queues.Ingest);
        var uploaded = new List<UploadedFile>();
        // Companions first: by the time ingest reads a tar, its metadata is already there.
        foreach (var (file, blobPath) in files.Zip(blobs).OrderBy(p => queued.Contains(p.First)))
        {
            var blob = clients.Blob(blobPath);
            var info = await blob.UploadAsync(file, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(file) } }, ct);
            var bytes = new FileInfo(file).Length;
            if (queued.Contains(file))
            {
                var created = BlobCreatedEvent.For(blob.Uri, bytes, info.Value.ETag.ToString(), ContentType(file), time.GetUtcNow());
                await ingest.SendMessageAsync(QueueMessageCodec.Encode(created, QueueBodyEncoding.PlainJson), ct);
            }
            uploaded.Add(new UploadedFile(file, blobPath, bytes, queued.Contains(file)));
        }
        return uploaded;
    }

    private static bool IsTar(string file) =>
        file.EndsWith(".tar", StringComparison.Ordinal) || file.EndsWith(".tar.gz", StringComparison.Ordinal) || file.EndsWith(".tgz", StringComparison.Ordinal);

    // 00000042.tar, 00000042.tar.gz and 00000042.parquet share the stem 00000042.
    private static string Stem(string file) => Path.GetFileName(file).Split('.', 2)[0];

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".tar" => "application/x-tar",
        ".gz" or ".tgz" => "application/gzip",
        ".json" => "application/json",
        ".parquet" => "application/vnd.apache.parquet",
        _ => "application/octet-stream",
    };
}
