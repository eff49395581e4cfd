using System.IO.Compression;
using System.Runtime.CompilerServices;
using Qlip.Data.WebDataset;

namespace Qlip.Ingest.Reading;

/// <summary>
/// img2dataset-style webdataset tars (DataComp, CC-12M, LAION): <c>{key}.jpg|png|webp</c>, <c>{key}.txt</c>,
/// <c>{key}.json</c>; gzip-compressed when <paramref name="gzip"/>. Streams: one sample in memory at a time, and a member
/// above <paramref name="maxMemberBytes"/> fails the shard.
/// </summary>
/// <remarks>
/// A member like <c>cat.v2.jpg</c> groups under key <c>cat</c> with extension <c>v2.jpg</c> by webdataset's rule; it is
/// reported with its full dotted key <c>cat.v2</c> so the key check can count it as <c>dotted_key</c>.
/// </remarks>
public sealed class WebDatasetShardReader(bool gzip, long maxMemberBytes = WebDatasetReader.DefaultMaxMemberBytes) : IShardReader
{
    /// <summary>Image extensions in preference order.</summary>
    public static readonly string[] ImageExtensions = ["jpg", "jpeg", "png", "webp", "gif", "bmp"];

    public string Format => gzip ? "webdataset.gz" : "webdataset";

    public async IAsyncEnumerable<RawSample> ReadAsync(Stream input, [EnumeratorCancellation] CancellationToken ct)
    {
        var gunzip = gzip ? new GZipStream(input, CompressionMode.Decompress, leaveOpen: true) : null;
        await using var disposeGunzip = gunzip;
        await using var samples = Read(gunzip ?? input, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await samples.MoveNextAsync()) yield break;
            }
            catch (Exception e) when (e is WebDatasetFormatException or InvalidDataException)
            {
                throw new ShardFormatException(e.Message, e);
            }
            yield return samples.Current;
        }
    }

    private async IAsyncEnumerable<RawSample> Read(Stream tar, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var sample in WebDatasetReader.ReadAsync(tar, maxMemberBytes, ct))
        {
            var (key, image, extension) = FindImage(sample);
            yield return new RawSample(key, image, extension, sample.Get("txt"), sample.Get("json"));
        }
    }

    private static (string Key, byte[]? Image, string? Extension) FindImage(WebDatasetSample sample)
    {
        if (sample.FirstOf(ImageExtensions) is { } plain) return (sample.Key, plain.Value, plain.Key);
        foreach (var (extension, bytes) in sample.Files)
        {
            var lastDot = extension.LastIndexOf('.');
            if (lastDot > 0 && ImageExtensions.Contains(extension[(lastDot + 1)..]))
                return ($"{sample.Key}.{extension[..lastDot]}", bytes, extension[(lastDot + 1)..]);
        }
        return (sample.Key, null, null);
    }
}
