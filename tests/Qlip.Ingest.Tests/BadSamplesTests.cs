using System.Text;
using Qlip.Data.Images;
using Qlip.Data.WebDataset;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Data;
using Qlip.Testing.Images;

namespace Qlip.Ingest.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class BadSamplesTests(AzuriteFixture azurite)
{
    private static byte[] Dog => File.ReadAllBytes(RealData.Photos.First(p => p.EndsWith("dog.jpg", StringComparison.Ordinal)));

    private static async Task<List<(string Name, byte[] Bytes)>> GoodMembersAsync(int count)
    {
        var members = new List<(string, byte[])>();
        await foreach (var sample in WebDatasetReader.ReadAsync(new MemoryStream(await IngestInputs.FashionTarAsync())))
        {
            if (members.Count == count * 3) break;
            members.AddRange(sample.Files.Select(f => ($"{sample.Key}.{f.Key}", f.Value)));
        }
        return members;
    }

    private static byte[] Png(RgbImage image) => ImageEncoder.EncodePng(image);

    [Fact]
    public async Task Each_bad_sample_is_counted_under_its_own_reason_and_the_rest_of_the_shard_lands()
    {
        var good = await GoodMembersAsync(5);
        var fashion = RgbImage.FromGray(28, 28, RealData.FashionMnistTest.Image(100));
        var dog = ImageDecoder.Decode(Dog);
        var strip = new RgbImage(dog.Width, 40, dog.Pixels[..(dog.Width * 40 * 3)]);
        var caption = "a photo"u8.ToArray();
        var tar = IngestInputs.Tar(
        [
            .. good,
            ("trunc.jpg", Dog[..(Dog.Length / 2)]), ("trunc.txt", caption),
            ("text.jpg", "a caption, not an image"u8.ToArray()), ("text.txt", caption),
            ("empty.jpg", []), ("empty.txt", caption),
            ("huge.png", CraftedImages.PngHeaderClaiming(60_000, 60_000)), ("huge.txt", caption),
            ("../evil.png", Png(fashion)), ("../evil.txt", caption),
            ("cat.v2.png", Png(ImageResizer.Resize(fashion, 40, ResizeMode.CenterCrop))), ("cat.v2.txt", caption),
            ("badcap.png", Png(ImageResizer.Resize(fashion, 41, ResizeMode.CenterCrop))), ("badcap.txt", [0x61, 0xC3, 0x28]),
            ("dup.png", Png(ImageResizer.Resize(fashion, 42, ResizeMode.CenterCrop))), ("dup.txt", "first"u8.ToArray()),
            ("dup.png", Png(ImageResizer.Resize(fashion, 43, ResizeMode.CenterCrop))), ("dup.txt", "second"u8.ToArray()),
            ("small.png", Png(ImageResizer.Resize(fashion, 16, ResizeMode.CenterCrop))), ("small.txt", caption),
            ("strip.png", Png(strip)), ("strip.txt", caption),
            ("copy.png", good[0].Bytes), ("copy.txt", caption),
        ]);
        var harness = new IngestHarness(azurite, new IngestOptions { MinImageSize = 20, MaxAspectRatio = 4, ImageSize = 64 });
        var dataset = IngestHarness.NewDataset("bad");

        var result = await harness.Ingester.IngestAsync(await harness.UploadAsync(dataset, "00000000.tar", tar), CancellationToken.None);

        var stats = result.Stats!;
        Assert.Equal(new Dictionary<string, int>
        {
            ["bad_aspect"] = 1, ["dotted_key"] = 1, ["duplicate_image"] = 1, ["duplicate_key"] = 1, ["empty_file"] = 1,
            ["invalid_caption_utf8"] = 1, ["not_an_image"] = 1, ["success"] = 6, ["too_large"] = 1, ["too_small"] = 1,
            ["truncated_image"] = 1, ["unsafe_key"] = 1,
        }, stats.StatusDict);
        Assert.Equal((17, 6, 1, 5), (stats.Count, stats.Successes, stats.FailedToDownload, stats.FailedToResize));
        var samples = await harness.ReadTarAsync(dataset, "00000000");
        Assert.Equal([.. good.Select(m => m.Name.Split('.')[0]).Distinct(), "dup"], samples.Select(s => s.Key));
        Assert.Equal("first", Encoding.UTF8.GetString(samples[^1].Get("txt")!));
        var rows = await harness.ReadRowsAsync(dataset, "00000000");
        Assert.Equal(17, rows.Count);
        var byKey = rows.Where(r => r.Status != "success").ToDictionary(r => r.SourceId!, r => r);
        Assert.Equal("unsafe_key", byKey["../evil"].Status);
        Assert.Equal("dotted_key", byKey["cat.v2"].Status);
        Assert.Contains("60000×60000", byKey["huge"].ErrorMessage);
        Assert.Contains(good[0].Name.Split('.')[0], byKey["copy"].ErrorMessage);
        Assert.All(samples, s => Assert.DoesNotContain("..", s.Key));
    }

    [Fact]
    public async Task A_truncated_tar_fails_the_shard_naming_the_file_and_leaves_no_stats_and_no_claims()
    {
        var input = await IngestInputs.FashionTarAsync();
        var harness = new IngestHarness(azurite);
        var dataset = IngestHarness.NewDataset("trunc");
        var incoming = await harness.UploadAsync(dataset, "00000004.tar", input[..(input.Length / 2 + 100)]);

        var e = await Assert.ThrowsAsync<ShardIngestException>(() => harness.Ingester.IngestAsync(incoming, CancellationToken.None));

        Assert.Contains($"incoming/{dataset}/00000004.tar", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.False(await harness.Clients.Blob(BlobLayout.ShardStats(dataset, "00000004")).ExistsAsync());
        Assert.False(await harness.Clients.Blob(BlobLayout.ShardTar(dataset, "00000004")).ExistsAsync());
        Assert.Empty(await harness.DedupRowsAsync(dataset));
    }
}
