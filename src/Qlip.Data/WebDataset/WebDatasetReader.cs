using System.Formats.Tar;
using System.Runtime.CompilerServices;

namespace Qlip.Data.WebDataset;

/// <summary>
/// Streams samples out of a webdataset tar (plain tar; wrap a <c>.tar.gz</c> in a GZipStream first). Members are
/// grouped by key — the name up to the first dot of the file-name part — while consecutive members share a key; a
/// repeated extension starts a new sample, so duplicate keys stay visible. Only one sample is held in memory. A tar
/// that ends without its end-of-archive zero block is reported as truncated, even when cut at a member boundary.
/// Directories and other non-file members are skipped.
/// </summary>
public static class WebDatasetReader
{
    /// <summary>Members larger than this fail the shard rather than exhaust memory (default 256 MiB).</summary>
    public const long DefaultMaxMemberBytes = 256L << 20;

    /// <summary>Reads the samples of <paramref name="tar"/> in order.</summary>
    /// <exception cref="WebDatasetFormatException">The tar is truncated or corrupt; the message names the last good member.</exception>
    public static async IAsyncEnumerable<WebDatasetSample> ReadAsync(Stream tar, long maxMemberBytes = DefaultMaxMemberBytes,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var checkedTar = new EndMarkerCheckingStream(tar);
        await using var reader = new TarReader(checkedTar, leaveOpen: true);
        string? key = null;
        var files = new List<KeyValuePair<string, byte[]>>();
        var lastName = "(start of tar)";
        while (true)
        {
            var (entry, name, bytes) = await NextFileAsync(reader, lastName, maxMemberBytes, ct);
            if (entry is null)
            {
                // A tar ends with a zero block; one cut at a member boundary just stops.
                if (checkedTar.TrailingZeros < 512)
                    throw new WebDatasetFormatException($"tar is truncated after member '{lastName}': no end-of-archive block");
                break;
            }
            lastName = name;
            var (memberKey, extension) = SplitName(name);
            if (key is not null && (memberKey != key || files.Exists(f => f.Key == extension)))
            {
                yield return new WebDatasetSample(key, files);
                files = [];
            }
            key = memberKey;
            files.Add(new(extension, bytes!));
        }
        if (key is not null) yield return new WebDatasetSample(key, files);
    }

    /// <summary>Splits a member name into key and extension: <c>a/b/0001.seg.png</c> → (<c>a/b/0001</c>, <c>seg.png</c>).</summary>
    public static (string Key, string Extension) SplitName(string name)
    {
        var slash = name.LastIndexOf('/');
        var dot = name.IndexOf('.', slash + 1);
        return dot < 0 ? (name, "") : (name[..dot], name[(dot + 1)..].ToLowerInvariant());
    }

    private static async Task<(TarEntry? Entry, string Name, byte[]? Bytes)> NextFileAsync(
        TarReader reader, string lastName, long maxMemberBytes, CancellationToken ct)
    {
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, ct);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or ArgumentException)
            {
                throw new WebDatasetFormatException($"tar is truncated or corrupt after member '{lastName}': {e.Message}", e);
            }
            if (entry is null) return (null, lastName, null);
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                continue;
            if (entry.Length > maxMemberBytes)
                throw new WebDatasetFormatException($"member '{entry.Name}' has {entry.Length:N0} bytes, more than {maxMemberBytes:N0}");
            var bytes = new byte[entry.Length];
            if (entry.DataStream is { } data)
            {
                try
                {
                    await data.ReadExactlyAsync(bytes, ct);
                }
                catch (EndOfStreamException e)
                {
                    throw new WebDatasetFormatException($"tar is truncated inside member '{entry.Name}'", e);
                }
            }
            return (entry, entry.Name, bytes);
        }
    }
}
