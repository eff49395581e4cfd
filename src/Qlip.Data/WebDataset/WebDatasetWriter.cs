using System.Formats.Tar;

namespace Qlip.Data.WebDataset;

/// <summary>
/// Writes a webdataset tar: each sample's members as <c>{key}.{extension}</c>, in the order given. Entries are
/// POSIX ustar with a fixed mtime, mode 0644 and uid/gid 0 and no owner names, so the same samples always give a
/// byte-identical tar that GNU tar, Python's tarfile and webdataset read.
/// </summary>
public sealed class WebDatasetWriter : IAsyncDisposable
{
    /// <summary>The mtime of every member: 2020-01-01T00:00:00Z (any fixed value keeps output reproducible).</summary>
    public static readonly DateTimeOffset FixedModificationTime = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TarWriter _writer;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>Writes to <paramref name="output"/>; the stream is left open when <paramref name="leaveOpen"/>.</summary>
    public WebDatasetWriter(Stream output, bool leaveOpen = false) =>
        _writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen);

    /// <summary>Samples written so far.</summary>
    public int Count => _keys.Count;

    /// <summary>Appends one sample. Keys must be unique in the shard and contain no dot (webdataset splits on it).</summary>
    public async Task WriteAsync(string key, IEnumerable<KeyValuePair<string, byte[]>> files, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(key) || key.Contains('.') || key.Contains('\\') || key.StartsWith('/'))
            throw new ArgumentException($"key '{key}' must be non-empty and contain no dot, backslash or leading slash", nameof(key));
        if (!_keys.Add(key))
            throw new ArgumentException($"key '{key}' was already written to this shard", nameof(key));
        foreach (var (extension, bytes) in files)
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, $"{key}.{extension}")
            {
                ModificationTime = FixedModificationTime,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                DataStream = new MemoryStream(bytes, writable: false),
            };
            await _writer.WriteEntryAsync(entry, ct);
        }
    }

    /// <summary>Appends <paramref name="sample"/>.</summary>
    public Task WriteAsync(WebDatasetSample sample, CancellationToken ct = default) => WriteAsync(sample.Key, sample.Files, ct);

    /// <summary>Writes the two zero blocks that end a tar.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
