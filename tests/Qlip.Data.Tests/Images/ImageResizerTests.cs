using Qlip.Data.Images;
using Qlip.Testing.Data;

namespace Qlip.Data.Tests.Images;

public class ImageResizerTests
{
    private static RgbImage Photo(string name) =>
        ImageDecoder.Decode(File.ReadAllBytes(RealData.Photos.First(p => p.EndsWith(name, StringComparison.Ordinal))));

    [Theory]
    [InlineData(ResizeMode.CenterCrop, 256, 256, 256)]
    [InlineData(ResizeMode.Border, 256, 256, 256)]
    [InlineData(ResizeMode.KeepRatio, 256, 341, 256)] // 768×576 → short side 256
    [InlineData(ResizeMode.CenterCrop, 1000, 1000, 1000)] // upscaling
    [InlineData(ResizeMode.KeepRatio, 100, 133, 100)]
    [InlineData(ResizeMode.CenterCrop, 32, 32, 32)] // 18× reduction goes through the box pre-reduction
    public void Output_sizes_are_exact(ResizeMode mode, int size, int width, int height)
    {
        var dog = Photo("dog.jpg");
        var resized = ImageResizer.Resize(dog, size, mode);
        Assert.Equal((width, height), (resized.Width, resized.Height));
        Assert.Equal((width, height), ImageResizer.OutputSize(dog.Width, dog.Height, size, mode));
    }

    [Fact]
    public void Tall_and_tiny_images_resize_to_exact_sizes()
    {
        var fashion = RgbImage.FromGray(28, 28, RealData.FashionMnistTest.Image(3));
        var tall = ImageResizer.Resize(Photo("dog.jpg"), 50, ResizeMode.KeepRatio);
        tall = new RgbImage(tall.Height, tall.Width, Transpose(tall)); // 50×67, portrait
        Assert.Equal((224, 224), Size(ImageResizer.Resize(fashion, 224, ResizeMode.CenterCrop)));
        Assert.Equal((7, 7), Size(ImageResizer.Resize(fashion, 7, ResizeMode.Border)));
        Assert.Equal((40, 40), Size(ImageResizer.Resize(tall, 40, ResizeMode.CenterCrop)));
        Assert.Equal((40, 54), Size(ImageResizer.Resize(tall, 40, ResizeMode.KeepRatio))); // 67 × 0.8 = 53.6
    }

    [Fact]
    public void Border_pads_the_short_axis_with_white()
    {
        var dog = Photo("dog.jpg"); // 4:3 → image occupies 256×192, 32 white rows above and below
        var bordered = ImageResizer.Resize(dog, 256, ResizeMode.Border);
        for (var x = 0; x < 256; x += 5)
        {
            Assert.Equal(((byte)255, (byte)255, (byte)255), bordered[x, 0]);
            Assert.Equal(((byte)255, (byte)255, (byte)255), bordered[x, 255]);
        }
        var inside = Enumerable.Range(0, 256).Count(x => bordered[x, 128] != ((byte)255, (byte)255, (byte)255));
        Assert.True(inside > 200, $"only {inside} non-white pixels across the middle row");
    }

    [Fact]
    public void Center_crop_keeps_the_centre_and_its_colours()
    {
        // The crop's mean colour per channel matches the mean of the central square of the source.
        var dog = Photo("dog.jpg");
        var crop = ImageResizer.Resize(dog, 64, ResizeMode.CenterCrop);
        var offset = (dog.Width - dog.Height) / 2;
        for (var c = 0; c < 3; c++)
        {
            double source = 0, output = 0;
            for (var y = 0; y < dog.Height; y++)
            for (var x = offset; x < offset + dog.Height; x++)
                source += dog.Pixels[(y * dog.Width + x) * 3 + c];
            source /= (double)dog.Height * dog.Height;
            for (var i = c; i < crop.Pixels.Length; i += 3) output += crop.Pixels[i];
            output /= 64 * 64;
            Assert.True(Math.Abs(source - output) < 2.0, $"channel {c}: source mean {source:F1}, crop mean {output:F1}");
        }
    }

    [Fact]
    public void Resizing_to_the_same_size_returns_the_same_pixels()
    {
        var fashion = RgbImage.FromGray(28, 28, RealData.FashionMnistTest.Image(5));
        Assert.Equal(fashion.Pixels, ImageResizer.Resize(fashion, 28, ResizeMode.CenterCrop).Pixels);
    }

    private static (int, int) Size(RgbImage image) => (image.Width, image.Height);

    private static byte[] Transpose(RgbImage image)
    {
        var output = new byte[image.Pixels.Length];
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        for (var c = 0; c < 3; c++)
            output[(x * image.Height + y) * 3 + c] = image.Pixels[(y * image.Width + x) * 3 + c];
        return output;
    }
}
