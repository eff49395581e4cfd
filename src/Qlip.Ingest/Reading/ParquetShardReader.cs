using System.Runtime.CompilerServices;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Qlip.Ingest.Reading;

/// <summary>
/// Hugging Face-style parquet with image bytes: an <c>image</c> (or <c>jpg</c>, <c>png</c>, <c>img</c>) column that is
/// either a struct <c>{bytes, path}</c> or plain binary, a caption column (<c>caption</c>, <c>text</c>, <c>txt</c>,
/// <c>prompt</c>) and optionally <c>key</c>. Rows without a key get <c>{keyPrefix}{row:D6}</c>. Parquet needs a
/// seekable stream; one row group is in memory at a time.
/// </summary>
public sealed class ParquetShardReader(string keyPrefix) : IShardReader
{
    private static readonly string[] ImageColumns = ["image", "jpg", "png", "img", "webp"];
    private static readonly string[] CaptionColumns = ["caption", "text", "txt", "prompt"];

    public string Format => "parquet";

    /// <summary>Whether the file has an image column (img2dataset's metadata parquet next to a tar has none).</summary>
    public static async Task<bool> HasImageColumnAsync(Stream input, CancellationToken ct)
    {
        await using var reader = await OpenAsync(input, ct);
        return ImageField(reader.Schema) is not null;
    }

    public async IAsyncEnumerable<RawSample> ReadAsync(Stream input, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var reader = await OpenAsync(input, ct);
        var schema = reader.Schema;
        var image = ImageField(schema)
                    ?? throw new ShardFormatException(
                        $"parquet has no image column (looked for {string.Join(", ", ImageColumns)} as binary or {{bytes, path}})");
        var path = PathField(schema, image);
        var caption = TopLevelString(schema, CaptionColumns);
        var key = TopLevelString(schema, ["key"]);
        var row = 0L;
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            using var rows = reader.OpenRowGroupReader(group);
            var count = checked((int)rows.RowCount);
            var images = new byte[]?[count];
            await rows.ReadAsync(image, images.AsMemory(), null, ct);
            var paths = await ReadStringsAsync(rows, path, count, ct);
            var captions = await ReadStringsAsync(rows, caption, count, ct);
            var keys = await ReadStringsAsync(rows, key, count, ct);
            for (var i = 0; i < count; i++, row++)
            {
                var extension = paths?[i] is { } p && Path.GetExtension(p) is { Length: > 1 } ext ? ext[1..].ToLowerInvariant() : null;
                yield return new RawSample(
                    keys?[i] ?? keyPrefix + row.ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
                    images[i], extension, captions?[i] is { } c ? Encoding.UTF8.GetBytes(c) : null, Metadata: null);
            }
        }
    }

    private static async Task<ParquetReader> OpenAsync(Stream input, CancellationToken ct)
    {
        try
        {
            return await ParquetReader.CreateAsync(input, leaveStreamOpen: true, cancellationToken: ct);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new ShardFormatException($"not a readable parquet file: {e.Message}", e);
        }
    }

    private static DataField? ImageField(ParquetSchema schema)
    {
        foreach (var name in ImageColumns)
        {
            foreach (var field in schema.DataFields)
            {
                var parts = field.Path.ToList();
                var isStructBytes = parts.Count == 2 && parts[0] == name && parts[1] == "bytes";
                var isPlainBinary = parts.Count == 1 && parts[0] == name;
                if ((isStructBytes || isPlainBinary) && field.ClrType == typeof(ReadOnlyMemory<byte>) && !field.IsArray) return field;
            }
        }
        return null;
    }

    private static DataField? PathField(ParquetSchema schema, DataField image)
    {
        var parts = image.Path.ToList();
        return parts.Count == 2
            ? schema.DataFields.FirstOrDefault(f => f.Path.ToList() is [var s, "path"] && s == parts[0] && IsString(f))
            : null;
    }

    private static DataField? TopLevelString(ParquetSchema schema, string[] names) =>
        names.Select(n => schema.DataFields.FirstOrDefault(f => f.Path.Length == 1 && f.Name == n && IsString(f)))
            .FirstOrDefault(f => f is not null);

    private static bool IsString(DataField field) => field.ClrType == typeof(ReadOnlyMemory<char>) && !field.IsArray;

    private static async Task<string?[]?> ReadStringsAsync(ParquetRowGroupReader rows, DataField? field, int count, CancellationToken ct)
    {
        if (field is null) return null;
        var values = new string?[count];
        await rows.ReadAsync(field, values.AsMemory(), null, ct);
        return values;
    }
}
