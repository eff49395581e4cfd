using System.Text.Json;

namespace Qlip.Data.WebDataset;

/// <summary>A dataset's <c>sizes.json</c>: shard file name (<c>00000000.tar</c>) → sample count, as open_clip reads it.</summary>
public static class DatasetSizes
{
    /// <summary>Serialises <paramref name="sizes"/> sorted by shard name.</summary>
    public static byte[] ToJsonBytes(IReadOnlyDictionary<string, long> sizes) =>
        JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, long>(sizes.ToDictionary(), StringComparer.Ordinal),
            DataJson.Context.SortedDictionaryStringInt64);

    /// <summary>Parses a <c>sizes.json</c>.</summary>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    public static SortedDictionary<string, long> Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, DataJson.Context.SortedDictionaryStringInt64) ?? throw new JsonException("sizes.json is JSON null");
}
