using Qlip.Data.Images;
using Qlip.Testing.Data;
using Qlip.Testing.Images;
using SkiaSharp;

namespace Qlip.Data.Tests.Images;

public class ImageDecoderTests
{
    private static byte[] Dog => File.ReadAllBytes(RealData.Photos.First(p => p.EndsWith("dog.jpg", StringComparison.Ordinal)));

    private static RgbImage FashionImage(int index) => RgbImage.FromGray(28, 28, RealData.FashionMnistTest.Image(index));

    [Fact]
    public void Real_photo_jpeg_decodes_to_its_header_size_as_rgb()
    {
        var image = ImageDecoder.Decode(Dog, out var header);
        Assert.Equal((ImageFileFormat.Jpeg, 1), (header.Format, header.Orientation));
        Assert.Equal((768, 576), (image.Width, image.Height));
        // Compare channel order with Skia's own decode (which is BGRA or RGBA depending on platform).
        using var reference = SKBitmap.Decode(Dog);
        var c = reference.GetPixel(300, 200);
        var (r, g, b) = image[300, 200];
        Assert.Equal((c.Red, c.Green, c.Blue), (r, g, b));
    }

    [Fact]
    public void Fashion_mnist_image_survives_a_jpeg_round_trip_approximately()
    {
        var original = FashionImage(0);
        var decoded = ImageDecoder.Decode(ImageEncoder.EncodeJpeg(original, 95));
        Assert.Equal((28, 28), (decoded.Width, decoded.Height));
        Assert.True(MeanAbsDiff(original, decoded) < 4, $"mean abs diff {MeanAbsDiff(original, decoded):F2}");
    }

    [Fact]
    public void Gray_png_round_trip_is_exact()
    {
        var gray = RealData.FashionMnistTest.Image(1).ToArray();
        var decoded = ImageDecoder.Decode(ImageEncoder.EncodeGrayPng(gray, 28, 28));
        Assert.Equal(RgbImage.FromGray(28, 28, gray).Pixels, decoded.Pixels);
    }

    [Fact]
    public void Rgb_png_and_lossless_webp_round_trips_are_exact()
    {
        var photo = ImageResizer.Resize(ImageDecoder.Decode(Dog), 64, ResizeMode.KeepRatio);
        Assert.Equal(photo.Pixels, ImageDecoder.Decode(ImageEncoder.EncodePng(photo)).Pixels);

        using var skImage = SKImage.FromEncodedData(ImageEncoder.EncodePng(photo));
        using var webp = skImage.Encode(SKEncodedImageFormat.Webp, 100);
        var decoded = ImageDecoder.Decode(webp.ToArray(), out var header);
        Assert.Equal(ImageFileFormat.Webp, header.Format);
        Assert.Equal((photo.Width, photo.Height), (decoded.Width, decoded.Height));
        Assert.True(MeanAbsDiff(photo, decoded) < 1.0);
    }

    [Fact]
    public void Emoji_alpha_is_composited_on_white()
    {
        var bytes = File.ReadAllBytes(RealData.Emoji.First(e => e.Name == "grinning face").ImagePath);
        var image = ImageDecoder.Decode(bytes);
        using var reference = SKBitmap.Decode(bytes);
        int transparent = 0, opaque = 0;
        for (var y = 0; y < 64; y++)
        for (var x = 0; x < 64; x++)
        {
            var c = reference.GetPixel(x, y);
            var expected = c.Alpha switch
            {
                0 => (255, 255, 255),
                255 => (c.Red, c.Green, c.Blue),
                _ => ((int, int, int)?)null,
            };
            if (expected is not { } e) continue;
            var (r, g, b) = image[x, y];
            Assert.Equal(e, (r, g, b));
            if (c.Alpha == 0) transparent++; else opaque++;
        }
        Assert.True(transparent > 100 && opaque > 1000, $"{transparent} transparent, {opaque} opaque pixels checked");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Exif_orientation_is_applied(int orientation)
    {
        // A non-square real photo, so every orientation gives a different picture.
        var photo = ImageResizer.Resize(ImageDecoder.Decode(Dog), 48, ResizeMode.KeepRatio); // 64×48
        var jpeg = ImageEncoder.EncodeJpeg(photo, 90);
        var stored = ImageDecoder.Decode(jpeg);
        var tagged = CraftedImages.WithExifOrientation(jpeg, orientation);

        var header = ImageDecoder.ReadHeader(tagged);
        var shown = ImageDecoder.Decode(tagged);

        Assert.Equal(orientation, header.Orientation);
        var (w, h) = (stored.Width, stored.Height);
        var expectedSize = orientation >= 5 ? (h, w) : (w, h);
        Assert.Equal(expectedSize, (header.Width, header.Height));
        Assert.Equal(expectedSize, (shown.Width, shown.Height));
        // Where each stored corner pixel must appear (EXIF 2.3, tag 0x0112).
        (int X, int Y) Shown(int x, int y) => orientation switch
        {
            2 => (w - 1 - x, y),
            3 => (w - 1 - x, h - 1 - y),
            4 => (x, h - 1 - y),
            5 => (y, x),
            6 => (h - 1 - y, x),
            7 => (h - 1 - y, w - 1 - x),
            _ => (y, w - 1 - x),
        };
        for (var y = 0; y < h; y += 7)
        for (var x = 0; x < w; x += 5)
        {
            var (sx, sy) = Shown(x, y);
            Assert.Equal(stored[x, y], shown[sx, sy]);
        }
    }

    [Fact]
    public void Varied_real_pngs_and_photos_decode_to_their_header_sizes()
    {
        // Openclipart PNGs mix palette, gray, gray+alpha, RGB and RGBA at 8 and 16 bits; the photos are large JPEGs.
        var files = Qlip.Data.Sets.OpenClipartDataset.Load(RealData.Paths, Qlip.Data.Sets.DataSplit.Test)
            .Where((_, i) => i % 8 == 0).Select(i => i.PngPath).Concat(RealData.Photos);
        var decoded = 0;
        foreach (var path in files)
        {
            var bytes = File.ReadAllBytes(path);
            var header = ImageDecoder.ReadHeader(bytes);
            if (header.PixelCount > 1_000_000) continue;
            var image = ImageDecoder.Decode(bytes);
            Assert.Equal((header.Width, header.Height), (image.Width, image.Height));
            decoded++;
        }
        Assert.True(decoded > 60, $"only {decoded} images decoded");
    }

    [Fact]
    public void Huge_png_header_is_rejected_without_decoding()
    {
        var png = CraftedImages.PngHeaderClaiming(60_000, 60_000);
        var header = ImageDecoder.ReadHeader(png);
        Assert.Equal((ImageFileFormat.Png, 60_000, 60_000), (header.Format, header.Width, header.Height));
        // Decoding would need 14.4 GB of RGBA; the typed rejection proves it stopped at the header.
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png));
        Assert.Equal((ImageDecodeError.TooManyPixels, "too_many_pixels"), (e.Error, e.Reason));
        Assert.Contains("60000×60000", e.Message);
    }

    [Fact]
    public void Real_photo_above_the_pixel_limit_is_rejected()
    {
        var e = Assert.Throws<ImageDecodeException>(() =>
            ImageDecoder.Decode(Dog, new ImageDecodeOptions { MaxPixels = 768 * 576 - 1 }));
        Assert.Equal(ImageDecodeError.TooManyPixels, e.Error);
    }

    [Fact]
    public void Truncated_jpeg_is_a_typed_truncation_error()
    {
        var dog = Dog;
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(dog[..(dog.Length / 2)]));
        Assert.Equal((ImageDecodeError.Truncated, "truncated_image"), (e.Error, e.Reason));
    }

    [Fact]
    public void Scikit_image_truncated_jpeg_is_a_typed_truncation_error()
    {
        // 400 bytes: the JPEG stops inside its own header segments.
        var bytes = File.ReadAllBytes(Path.Combine(RealData.Paths.SkimagePhotos, "truncated.jpg"));
        Assert.Equal(ImageDecodeError.Truncated, Assert.Throws<ImageDecodeException>(() => ImageDecoder.ReadHeader(bytes)).Error);
        Assert.Equal(ImageDecodeError.Truncated, Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes)).Error);
    }

    [Fact]
    public void Palette_png_decodes_to_its_palette_colours()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RealData.Paths.SkimagePhotos, "palette_color.png"));
        var image = ImageDecoder.Decode(bytes);
        using var reference = SKBitmap.Decode(bytes);
        Assert.Equal((reference.Width, reference.Height), (image.Width, image.Height));
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            var c = reference.GetPixel(x, y);
            Assert.Equal(255, c.Alpha);
            Assert.Equal((c.Red, c.Green, c.Blue), image[x, y]);
        }
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_truncated_not_garbage()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Dog[..40]));
        Assert.Equal(ImageDecodeError.Truncated, e.Error);
    }

    [Theory]
    [InlineData("a caption, not an image")]
    [InlineData("{\"key\": \"000000000\", \"width\": 28}")]
    [InlineData("")]
    public void Non_image_bytes_are_a_typed_not_an_image_error(string text)
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.Equal((ImageDecodeError.NotAnImage, "not_an_image"), (e.Error, e.Reason));
    }

    [Fact]
    public void Reduced_size_decoding_keeps_the_short_side_at_least_the_target()
    {
        var large = RealData.Photos.First(p => p.Contains("/mate/", StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(large);
        var header = ImageDecoder.ReadHeader(bytes);
        var reduced = ImageDecoder.Decode(bytes, new ImageDecodeOptions { MinShortSide = 256 });
        Assert.True(Math.Min(reduced.Width, reduced.Height) >= 256);
        Assert.True(reduced.Width < header.Width, $"{header.Width}×{header.Height} decoded at {reduced.Width}×{reduced.Height}");
        Assert.Equal((double)header.Width / header.Height, (double)reduced.Width / reduced.Height, 2);
    }

    internal static double MeanAbsDiff(RgbImage a, RgbImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return (double)sum / a.Pixels.Length;
    }
}
