using Qlip.Data.Sets;
using Qlip.Testing.Data;

namespace Qlip.Data.Tests.Sets;

public class MnistDatasetTests
{
    [Fact]
    public void Fashion_mnist_test_has_ten_thousand_images_a_thousand_per_class()
    {
        var set = RealData.FashionMnistTest;
        Assert.Equal((10_000, 28, 28), (set.Count, set.Height, set.Width));
        Assert.Equal(10_000 * 28 * 28, set.Pixels.Length);
        Assert.All(set.Labels.CountBy(l => l), c => Assert.Equal(1_000, c.Value));
        Assert.Equal(10, set.Labels.Distinct().Count());
        Assert.Equal("Ankle boot", set.ClassNames[9]);
    }

    [Fact]
    public void Fashion_mnist_train_has_sixty_thousand_images_six_thousand_per_class()
    {
        var set = RealData.FashionMnistTrain;
        Assert.Equal(60_000, set.Count);
        Assert.All(set.Labels.CountBy(l => l), c => Assert.Equal(6_000, c.Value));
    }

    [Fact]
    public void Mnist_test_digits_have_the_published_class_counts()
    {
        var set = RealData.MnistTest;
        Assert.Equal((10_000, 28, 28), (set.Count, set.Height, set.Width));
        int[] published = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
        for (var digit = 0; digit < 10; digit++)
            Assert.Equal(published[digit], set.Labels.Count(l => l == digit));
    }

    [Fact]
    public void Images_are_real_strokes_on_a_black_background()
    {
        // The top-left corner is background (0), every image has ink and nearly all have it in the central 8×8 block
        // (a '0' may not): catches an offset or a wrong header size.
        foreach (var set in new[] { RealData.MnistTest, RealData.FashionMnistTest })
        {
            var inkAtCentre = 0;
            for (var i = 0; i < 100; i++)
            {
                var image = set.Image(i);
                Assert.Equal(0, image[0]);
                Assert.Contains(image.ToArray(), p => p > 128);
                var centre = false;
                for (var y = 10; y < 18; y++)
                for (var x = 10; x < 18; x++)
                    centre |= image[y * 28 + x] > 128;
                if (centre) inkAtCentre++;
            }
            Assert.True(inkAtCentre >= 90, $"{set.Name}: only {inkAtCentre} of 100 images have ink in the centre");
        }
    }

    [Fact]
    public void Truncated_idx_file_names_the_file()
    {
        var source = Path.Combine(RealData.Paths.Mnist, "t10k-labels-idx1-ubyte");
        var path = Path.Combine(Path.GetTempPath(), $"qlip-idx-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, File.ReadAllBytes(source)[..500]);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_data_names_the_package_and_setup_script()
    {
        var paths = new DataPaths("/nonexistent-qlip-cache") { FashionMnist = "/nonexistent-qlip-cache/fashion" };
        var e = Assert.Throws<DataNotFoundException>(() => MnistDataset.LoadFashion(paths, DataSplit.Test));
        Assert.Contains("dataset-fashion-mnist", e.Message);
        Assert.Contains("scripts/setup.sh", e.Message);
    }
}
