using System.Text;
using Qlip.Data.Images;
using Qlip.Data.WebDataset;
using Qlip.Testing.Data;

namespace Qlip.Data.Tests.WebDataset;

public sealed class WebDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qlip-wds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] FashionPng(int i) => ImageEncoder.EncodeGrayPng(RealData.FashionMnistTest.Image(i), 28, 28);

    private static List<WebDatasetSample> RealSamples(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new WebDatasetSample($"part-{i % 2}/{i:D6}",
        [
            new("png", FashionPng(i)),
            new("txt", Encoding.UTF8.GetBytes($"{RealData.FashionMnistTest.ClassNames[RealData.FashionMnistTest.Labels[i]]} ✓")),
            new("seg.png", FashionPng(i + 1)),
        ])),
    ];

    private static async Task<byte[]> WriteAsync(IEnumerable<WebDatasetSample> samples)
    {
        using var tar = new MemoryStream();
        await using (var writer = new WebDatasetWriter(tar, leaveOpen: true))
            foreach (var sample in samples) await writer.WriteAsync(sample);
        return tar.ToArray();
    }

    private static async Task<List<WebDatasetSample>> ReadAllAsync(Stream tar)
    {
        var samples = new List<WebDatasetSample>();
        await foreach (var sample in WebDatasetReader.ReadAsync(tar)) samples.Add(sample);
        return samples;
    }

    [Fact]
    public async Task Samples_round_trip_through_writer_and_streaming_reader()
    {
        var samples = RealSamples(25);
        var bytes = await WriteAsync(samples);
        // A non-seekable stream, as a blob download is.
        var read = await ReadAllAsync(new NonSeekableStream(bytes));
        Assert.Equal(samples.Count, read.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].Key, read[i].Key);
            Assert.Equal(samples[i].Files.Select(f => f.Key), read[i].Files.Select(f => f.Key));
            Assert.Equal(samples[i].Files.Select(f => f.Value), read[i].Files.Select(f => f.Value));
        }
        Assert.Equal(samples[3].Get("txt"), read[3].Get("TXT"));
        Assert.Equal("seg.png", read[0].FirstOf("jpg", "seg.png")?.Key);
    }

    [Fact]
    public async Task Same_samples_give_byte_identical_tars_that_gnu_tar_lists()
    {
        var first = await WriteAsync(RealSamples(10));
        var second = await WriteAsync(RealSamples(10));
        Assert.Equal(first, second);
        var path = Path.Combine(_dir, "00000000.tar");
        await File.WriteAllBytesAsync(path, first);
        var names = GnuTar.List(path);
        Assert.Equal(30, names.Count);
        Assert.Equal(["part-0/000000.png", "part-0/000000.txt", "part-0/000000.seg.png"], names.Take(3));
    }

    [Fact]
    public async Task Repeated_key_starts_a_new_sample_so_duplicates_stay_visible()
    {
        var png = FashionPng(0);
        var bytes = await WriteAsync([new("a", [new("png", png)]), new("b", [new("png", png)])]);
        // Rename member "b.png" to "a.png" in the ustar header (name field at offset 0, checksum over the header).
        var secondHeader = 512 + ((png.Length + 511) / 512 * 512);
        bytes[secondHeader] = (byte)'a';
        FixChecksum(bytes, secondHeader);
        var read = await ReadAllAsync(new MemoryStream(bytes));
        Assert.Equal(["a", "a"], read.Select(s => s.Key));
    }

    [Fact]
    public async Task Truncated_tar_fails_with_the_last_good_member_named()
    {
        var bytes = await WriteAsync(RealSamples(5));
        var truncated = bytes[..(bytes.Length / 2 + 100)];
        var e = await Assert.ThrowsAsync<WebDatasetFormatException>(() => ReadAllAsync(new NonSeekableStream(truncated)));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public async Task Tar_cut_exactly_at_a_member_boundary_is_truncated_too()
    {
        var bytes = await WriteAsync(RealSamples(3));
        var firstSample = await WriteAsync(RealSamples(1));
        // Everything of the first sample, without the end-of-archive blocks: GNU tar calls this unexpected EOF.
        var cut = bytes[..(firstSample.Length - 1024)];
        Assert.True(cut.AsSpan().SequenceEqual(firstSample.AsSpan(0, cut.Length)));
        var e = await Assert.ThrowsAsync<WebDatasetFormatException>(() => ReadAllAsync(new NonSeekableStream(cut)));
        Assert.Contains("part-0/000000.seg.png", e.Message);
    }

    [Fact]
    public async Task Writer_rejects_dotted_and_duplicate_keys()
    {
        await using var writer = new WebDatasetWriter(new MemoryStream());
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync("a.b", [new("png", FashionPng(0))]));
        await writer.WriteAsync("a", [new("png", FashionPng(0))]);
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync("a", [new("png", FashionPng(0))]));
    }

    [Theory]
    [InlineData("0001.jpg", "0001", "jpg")]
    [InlineData("dir/sub/0001.seg.PNG", "dir/sub/0001", "seg.png")]
    [InlineData("v1.0/0001.txt", "v1.0/0001", "txt")]
    [InlineData("README", "README", "")]
    public void Key_is_the_name_up_to_the_first_dot_of_the_file_name(string name, string key, string extension) =>
        Assert.Equal((key, extension), WebDatasetReader.SplitName(name));

    [Fact]
    public async Task Metadata_parquet_stats_and_sizes_round_trip()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new SampleMetadata
        {
            Key = $"{i:D9}", Caption = $"caption {i} ✓", Width = 28, Height = 28, Sha256 = new string('a', 64),
            Label = i % 10, ClassName = i % 3 == 0 ? null : "Coat", Status = i == 7 ? "not_an_image" : "success",
        }).ToList();
        using var parquet = new MemoryStream();
        await ShardMetadataParquet.WriteAsync(rows, parquet);
        parquet.Position = 0;
        var back = await ShardMetadataParquet.ReadAsync(parquet);
        Assert.Equal(rows.Select(r => (r.Key, r.Caption, r.Label, r.ClassName, r.Status, r.Width)),
            back.Select(r => (r.Key, r.Caption, r.Label, r.ClassName, r.Status, r.Width)));

        var stats = new ShardStats { Count = 20, Successes = 19, FailedToResize = 1, StatusDict = new() { ["success"] = 19, ["not_an_image"] = 1 } };
        var json = Encoding.UTF8.GetString(stats.ToJsonBytes());
        Assert.Contains("\"failed_to_download\":0", json);
        Assert.Contains("\"status_dict\":{\"not_an_image\":1,\"success\":19}", json);
        Assert.DoesNotContain("duration", json);
        Assert.Equal(stats.StatusDict, ShardStats.Parse(stats.ToJsonBytes()).StatusDict);

        var sizes = DatasetSizes.ToJsonBytes(new Dictionary<string, long> { ["00000001.tar"] = 5, ["00000000.tar"] = 7 });
        Assert.Equal("{\"00000000.tar\":7,\"00000001.tar\":5}", Encoding.UTF8.GetString(sizes));
        Assert.Equal(7, DatasetSizes.Parse(sizes)["00000000.tar"]);
    }

    private static void FixChecksum(byte[] tar, int header)
    {
        for (var i = 148; i < 156; i++) tar[header + i] = (byte)' ';
        var sum = 0;
        for (var i = 0; i < 512; i++) sum += tar[header + i];
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, header + 148);
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
        public override long Length => throw new NotSupportedException();
    }
}
