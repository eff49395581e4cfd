using System.Text.Json;
using Qlip.Data.Images;
using Qlip.ML.Imaging;
using Qlip.Testing.Data;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Imaging;

/// <summary>Pre/post-processing on real images: Fashion-MNIST (gray 28×28), Noto emoji (64×64) and a darknet photo.</summary>
public sealed class ImageProcessingTests
{
    private static readonly float[] s_mean = [0.48145466f, 0.4578275f, 0.40821073f];
    private static readonly float[] s_std = [0.26862954f, 0.26130258f, 0.27577711f];

    private static RgbImage[] FashionImages(int count)
    {
        var set = RealData.FashionMnistTest;
        return [.. Enumerable.Range(0, count).Select(i => RgbImage.FromGray(set.Width, set.Height, set.Image(i * 997 % set.Count)))];
    }

    private static RgbImage[] EmojiImages(int count) =>
        [.. RealData.Emoji.Where((_, i) => i % 97 == 0).Take(count).Select(e => ImageDecoder.Decode(File.ReadAllBytes(e.ImagePath)))];

    public static TheoryData<string> Sets => ["fashion-mnist", "emoji"];

    [Theory]
    [MemberData(nameof(Sets))]
    public void Normalize_then_denormalize_returns_the_pixels(string set)
    {
        var images = set == "emoji" ? EmojiImages(16) : FashionImages(16);
        var config = ImagePreprocessConfig.Clip(images[0].Width);
        using var scope = NewDisposeScope();
        var batch = new ImagePreprocessor(config).Preprocess(images);
        var post = new ImagePostprocessor(config);

        var unit = post.Denormalize(batch); // (B, 3, H, W) in [0, 1]
        var expected = tensor(images.SelectMany(Chw).Select(b => b / 255f).ToArray()).view(unit.shape);
        Assert.True(unit.sub(expected).abs().max().item<float>() < 1f / 255); // within one 8-bit level (in fact ~1e-7)

        var restored = post.ToImages(batch);
        for (var i = 0; i < images.Length; i++)
            Assert.Equal(images[i].Pixels, restored[i].Pixels); // rounding recovers every byte
    }

    [Fact]
    public void Gray_images_have_three_equal_channels_after_denormalizing()
    {
        var config = ImagePreprocessConfig.Clip(28);
        using var scope = NewDisposeScope();
        var unit = new ImagePostprocessor(config).Denormalize(new ImagePreprocessor(config).Preprocess(FashionImages(4)));
        Assert.True(unit[.., 0].sub(unit[.., 1]).abs().max().item<float>() < 1e-6f);
        Assert.True(unit[.., 1].sub(unit[.., 2]).abs().max().item<float>() < 1e-6f);
        Assert.True(unit.std().item<float>() > 0.1f); // real garments, not a blank page
    }

    [Fact]
    public void Values_follow_the_CLIP_normalization_in_RGB_channel_order()
    {
        var red = new RgbImage(4, 4, [.. Enumerable.Range(0, 16).SelectMany(_ => new byte[] { 255, 0, 0 })]);
        var gray = new RgbImage(4, 4, Enumerable.Repeat((byte)128, 48).ToArray());
        using var scope = NewDisposeScope();
        var batch = new ImagePreprocessor(ImagePreprocessConfig.Clip(4)).Preprocess([red, gray]);
        Assert.Equal([2L, 3, 4, 4], batch.shape);
        Assert.Equal(ScalarType.Float32, batch.dtype);
        for (var c = 0; c < 3; c++)
        {
            var redValue = ((c == 0 ? 1f : 0f) - s_mean[c]) / s_std[c];
            Assert.True(batch[0, c].sub(redValue).abs().max().item<float>() < 1e-6f);
            Assert.True(batch[1, c].sub((128 / 255f - s_mean[c]) / s_std[c]).abs().max().item<float>() < 1e-6f);
        }
        // a pure red image: channel 0 holds the largest value of the batch, channels 1 and 2 the smallest they can
        Assert.Equal(batch.max().item<float>(), batch[0, 0].min().item<float>());
        Assert.True(batch[0, 1].max().item<float>() < batch[0, 0].min().item<float>());
    }

    [Fact]
    public void A_photo_is_resized_on_its_short_side_and_centre_cropped()
    {
        var photo = ImageDecoder.Decode(File.ReadAllBytes(RealData.Photos.First(p => p.EndsWith("dog.jpg", StringComparison.Ordinal))));
        Assert.NotEqual(photo.Width, photo.Height);
        var config = ImagePreprocessConfig.Clip(64);
        using var scope = NewDisposeScope();
        var batch = new ImagePreprocessor(config).Preprocess([photo]);
        Assert.Equal([1L, 3, 64, 64], batch.shape);
        // identical to Qlip.Data's short-side resize + centre crop, normalized
        var expected = new ImagePreprocessor(config).Preprocess([ImageResizer.Resize(photo, 64, ResizeMode.CenterCrop)]);
        Assert.Equal(0f, batch.sub(expected).abs().max().item<float>());
        var bounds = Enumerable.Range(0, 3).Select(c => (Low: -s_mean[c] / s_std[c], High: (1 - s_mean[c]) / s_std[c])).ToArray();
        for (var c = 0; c < 3; c++)
        {
            Assert.True(batch[0, c].min().item<float>() >= bounds[c].Low - 1e-6f);
            Assert.True(batch[0, c].max().item<float>() <= bounds[c].High + 1e-6f);
        }
    }

    [Fact]
    public void Postprocessing_clamps_and_writes_a_PNG_that_decodes_to_the_same_pixels()
    {
        var config = ImagePreprocessConfig.Clip(64);
        var post = new ImagePostprocessor(config);
        using var scope = NewDisposeScope();
        var batch = new ImagePreprocessor(config).Preprocess(EmojiImages(1));
        var images = post.ToImages(batch);
        var png = post.ToPng(batch[0]);
        Assert.Equal(images[0].Pixels, ImageDecoder.Decode(png).Pixels);

        var saturated = post.ToImages(full(1, 3, 2, 2, 50f)).Single().Pixels; // far above the range
        Assert.All(saturated, b => Assert.Equal(255, b));
        Assert.All(post.ToImages(full(1, 3, 2, 2, -50f)).Single().Pixels, b => Assert.Equal(0, b));
        Assert.Throws<ArgumentException>(() => post.ToPng(batch.repeat(2, 1, 1, 1)));
    }

    [Fact]
    public void The_config_round_trips_as_snake_case_json_and_names_bad_fields()
    {
        var config = ImagePreprocessConfig.Clip(256);
        var json = JsonSerializer.Serialize(config);
        Assert.Contains("\"resize_mode\":\"shortest\"", json);
        Assert.Contains("\"size\":256", json);
        var back = JsonSerializer.Deserialize<ImagePreprocessConfig>(json)!;
        Assert.Equal(256, back.Size);
        Assert.Equal(s_mean, back.Mean);
        Assert.Equal(s_std, back.Std);

        Assert.Equal("Size", Assert.Throws<ArgumentException>(() => new ImagePreprocessor(ImagePreprocessConfig.Clip(0))).ParamName);
        Assert.Equal("Std", Assert.Throws<ArgumentException>(() => (config with { Std = [1f, 0f, 1f] }).Validate()).ParamName);
        Assert.Equal("Mean", Assert.Throws<ArgumentException>(() => (config with { Mean = [0.5f] }).Validate()).ParamName);
        Assert.Equal("Interpolation", Assert.Throws<ArgumentException>(() => (config with { Interpolation = "nearest" }).Validate()).ParamName);
        Assert.Equal("ResizeMode", Assert.Throws<ArgumentException>(() => (config with { ResizeMode = "squash" }).Validate()).ParamName);
    }

    private static IEnumerable<byte> Chw(RgbImage image) =>
        Enumerable.Range(0, 3).SelectMany(c => Enumerable.Range(0, image.Width * image.Height).Select(i => image.Pixels[i * 3 + c]));
}
