using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Qlip.Data.WebDataset;

namespace Qlip.Ingest.Scanning;

/// <summary>
/// Reads a webdataset tar once, front to back (a blob stream, never seeked): counts samples and files, gives each
/// sample a status (bad samples are counted, not thrown), and hashes the bytes on the way. Decoding and resizing
/// will join here when full ingest lands.
/// </summary>
public sealed class ShardScanner(IOptions<IngestOptions> options)
{
    public const string Success = "success";
    public const string NoImage = "no_image";

    /// <exception cref="WebDatasetFormatException">The tar is truncated or corrupt (the message names the member).</exception>
    public async Task<ShardScan> ScanAsync(Stream tar, CancellationToken ct)
    {
        using var sha = SHA256.Create();
        await using var hashing = new CryptoStream(tar, sha, CryptoStreamMode.Read, leaveOpen: true);
        var images = options.Value.ImageExtensions;
        long samples = 0, successes = 0, files = 0;
        var status = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var sample in WebDatasetReader.ReadAsync(hashing, options.Value.MaxMemberBytes, ct))
        {
            samples++;
            files += sample.Files.Count;
            var reason = sample.FirstOf(images) is null ? NoImage : Success;
            if (reason == Success) successes++;
            status[reason] = status.GetValueOrDefault(reason) + 1;
        }
        // The tar reader stops at the end-of-archive blocks; the hash covers the padding after them too.
        await hashing.CopyToAsync(Stream.Null, ct);
        return new ShardScan(samples, successes, files, status, Convert.ToHexStringLower(sha.Hash!));
    }
}
