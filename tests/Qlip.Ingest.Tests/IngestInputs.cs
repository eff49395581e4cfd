using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Serialization;
using Parquet.Serialization;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Testing.Data;

namespace Qlip.Ingest.Tests;

/// <summary>Input files built from the packaged real data with the <c>qlip data make</c> classes, once per test run.</summary>
internal static class IngestInputs
{
    private static readonly string Root = Directory.CreateTempSubdirectory("qlip-ingest-inputs-").FullName;
    private static readonly Lazy<Task<byte[]>> LazyFashion = new(() => MakeAsync("fashion-mnist", ShardFormat.WebDataset, 40, "00000000.tar"));
    private static readonly Lazy<Task<byte[]>> LazySa1b = new(() => MakeAsync("emoji", ShardFormat.Sa1b, 12, "sa_000000.tar"));

    /// <summary>40 Fashion-MNIST test samples as an img2dataset webdataset tar (PNG, caption, json).</summary>
    public static Task<byte[]> FashionTarAsync() => LazyFashion.Value;

    /// <summary>12 emoji as an SA-1B tar (sa_N.jpg + sa_N.json, no captions).</summary>
    public static Task<byte[]> Sa1bTarAsync() => LazySa1b.Value;

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(bytes);
        return output.ToArray();
    }

    /// <summary>A raw tar of exactly these members, in order (TarWriter takes names our own writer refuses).</summary>
    public static byte[] Tar(params (string Name, byte[] Bytes)[] members)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
            foreach (var (name, bytes) in members)
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        return output.ToArray();
    }

    /// <summary>A Hugging Face-style parquet: <c>image {bytes, path}</c> and <c>text</c>.</summary>
    public static async Task<byte[]> HfParquetAsync(IEnumerable<(byte[] Image, string Path, string? Text)> rows)
    {
        using var output = new MemoryStream();
        var data = rows.Select(r => new HfRow { Image = new HfImage { Bytes = r.Image, Path = r.Path }, Text = r.Text }).ToList();
        await ParquetSerializer.SerializeAsync(data, output);
        return output.ToArray();
    }

    private static async Task<byte[]> MakeAsync(string source, ShardFormat format, int count, string tarName)
    {
        var dir = Path.Combine(Root, $"{source}-{format}");
        await DataMaker.MakeAsync(new DataMakeOptions(source, DataSplit.Test, count, dir) { Limit = count, Format = format }, RealData.Paths);
        return await File.ReadAllBytesAsync(Path.Combine(dir, tarName));
    }

    private sealed class HfRow
    {
        [JsonPropertyName("image")] public HfImage? Image { get; set; }
        [JsonPropertyName("text")] public string? Text { get; set; }
    }

    private sealed class HfImage
    {
        [JsonPropertyName("bytes")] public byte[]? Bytes { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
    }
}
