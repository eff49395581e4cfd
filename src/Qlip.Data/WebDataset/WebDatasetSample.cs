namespace Qlip.Data.WebDataset;

/// <summary>
/// One webdataset sample: the tar members that share a key (the member name up to the first dot of its file name),
/// by extension without the leading dot (<c>jpg</c>, <c>txt</c>, <c>json</c>, <c>seg.png</c>…), in tar order.
/// </summary>
/// <param name="Key">The shared name prefix, including any folder part, exactly as in the tar.</param>
/// <param name="Files">Extension → bytes, in the order the members appear.</param>
public sealed record WebDatasetSample(string Key, IReadOnlyList<KeyValuePair<string, byte[]>> Files)
{
    /// <summary>The bytes of the member with extension <paramref name="extension"/> (case-insensitive), or null.</summary>
    public byte[]? Get(string extension)
    {
        foreach (var (ext, bytes) in Files)
            if (string.Equals(ext, extension, StringComparison.OrdinalIgnoreCase)) return bytes;
        return null;
    }

    /// <summary>The first member whose extension is one of <paramref name="extensions"/> (checked in that order), or null.</summary>
    public KeyValuePair<string, byte[]>? FirstOf(params ReadOnlySpan<string> extensions)
    {
        foreach (var extension in extensions)
            if (Get(extension) is { } bytes) return new(extension, bytes);
        return null;
    }
}
