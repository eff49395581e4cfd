using Qlip.ML.Evaluation;
using Qlip.ML.Reporting;
using Qlip.ML.Tests.Training;
using Qlip.ML.Training.Metrics;
using SkiaSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Reporting;

public class PlotTests
{
    [Fact]
    public void Image_grid_puts_each_original_above_its_reconstruction_pixel_for_pixel()
    {
        var originals = Enumerable.Range(0, 3).Select(FashionMnistTestData.TestImageBytes).ToList();
        var reconstructions = originals.Select(p => p.Select(b => (byte)(255 - b)).ToArray()).ToList();  // inverted, so rows differ
        var png = ImageGrid.RenderComparisonPng(originals, reconstructions, 28, 28, channels: 1, columns: 2, scale: 3, gap: 2);

        using var bitmap = SKBitmap.Decode(png);
        var cell = 28 * 3 + 2;
        Assert.Equal((2 * cell + 2, 4 * cell + 2), (bitmap.Width, bitmap.Height));  // 2 columns, 2 chunks × 2 rows
        foreach (var (image, column, row) in new[] { (0, 0, 0), (1, 1, 0), (2, 0, 2) })
        foreach (var (x, y) in new[] { (5, 9), (14, 14), (27, 20) })
        {
            var original = bitmap.GetPixel(2 + column * cell + x * 3 + 1, 2 + row * cell + y * 3 + 2);
            var reconstruction = bitmap.GetPixel(2 + column * cell + x * 3, 2 + (row + 1) * cell + y * 3);
            Assert.Equal(originals[image][y * 28 + x], original.Red);
            Assert.Equal(reconstructions[image][y * 28 + x], reconstruction.Green);
        }
    }

    [Fact]
    public void Image_grid_names_an_image_of_the_wrong_size()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageGrid.RenderComparisonPng([new byte[784]], [new byte[783]], 28, 28, 1));
        Assert.Contains("Reconstruction 0 has 783 bytes", ex.Message);
    }

    [Fact]
    public void Loss_curve_plot_renders_every_loss_series()
    {
        var rows = Enumerable.Range(1, 50).Select(s => new MetricsRow(s, MetricsRow.Train, new Dictionary<string, double>
        {
            ["loss"] = 2.0 / s, ["loss/mse"] = 1.0 / s, ["lr/default"] = 1e-3,
        })).ToList();
        var png = LossCurvePlot.RenderPng(rows, "test run", logY: true, width: 640, height: 400);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((640, 400), (bitmap.Width, bitmap.Height));
        Assert.True(DistinctColors(bitmap) > 3, "the plot should contain lines in several colours");
        Assert.Throws<ArgumentException>(() => LossCurvePlot.RenderPng(rows, "t", series: ["loss/align"]));
    }

    [Fact]
    public void Loss_curve_plot_keeps_the_later_row_of_a_repeated_step()
    {
        MetricsRow Row(long step, double loss) => new(step, MetricsRow.Train, new Dictionary<string, double> { ["loss"] = loss });
        var resumed = new[] { Row(1, 1), Row(2, 1), Row(3, 1000), Row(2, 1), Row(3, 1), Row(4, 1) };  // crashed after 3, resumed from 1
        var clean = new[] { Row(1, 1), Row(2, 1), Row(3, 1), Row(4, 1) };
        Assert.Equal(LossCurvePlot.RenderPng(clean, "t"), LossCurvePlot.RenderPng(resumed, "t"));
    }

    [Fact]
    public void Confusion_matrix_plot_colours_the_diagonal_differently()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(tensor(new long[] { 0, 0, 0, 1, 1, 1, 2, 2, 2, 0 }), tensor(new long[] { 0, 0, 0, 1, 1, 1, 2, 2, 2, 1 }));
        var png = ConfusionMatrixPlot.RenderPng(matrix, ["a", "b", "c"], "test", size: 500);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((500, 500), (bitmap.Width, bitmap.Height));
        Assert.True(DistinctColors(bitmap) > 3);
        Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.RenderPng(matrix, ["a", "b"], "test"));
    }

    private static int DistinctColors(SKBitmap bitmap) => bitmap.Pixels.Select(p => (uint)p).Distinct().Count();
}
