using System.Globalization;
using Qlip.ML.Evaluation;
using ScottPlot;

namespace Qlip.ML.Reporting;

/// <summary>A confusion matrix as a PNG heat map: true classes down the rows, predictions across, counts in the cells.</summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Renders <paramref name="matrix"/> with one name per class.</summary>
    public static byte[] RenderPng(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string title, int size = 800)
    {
        if (matrix.Classes < 2) throw new ArgumentException("A confusion matrix plot needs at least 2 classes.", nameof(matrix));
        if (classNames.Count != matrix.Classes)
            throw new ArgumentException($"{classNames.Count} class names for {matrix.Classes} classes.", nameof(classNames));
        var k = matrix.Classes;
        var counts = new double[k, k];
        for (var a = 0; a < k; a++)
        for (var p = 0; p < k; p++)
            counts[a, p] = matrix[a, p];
        var plot = new Plot();
        PlotFonts.Apply(plot);
        var heatmap = plot.Add.Heatmap(counts);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // With ScottPlot's centred cells the rectangle spans the first and last cell centres: cell (row a, column p)
        // is centred on (p, k − 1 − a), since row 0 is drawn at the top.
        heatmap.Extent = new CoordinateRect(0, k - 1, 0, k - 1);
        for (var a = 0; a < k; a++)
        for (var p = 0; p < k; p++)
        {
            var label = plot.Add.Text(matrix[a, p].ToString(CultureInfo.InvariantCulture), p, k - 1 - a);
            label.LabelAlignment = Alignment.MiddleCenter;
            label.LabelFontColor = Colors.Black;
            label.LabelBackgroundColor = Colors.White.WithAlpha(0.7);  // readable on every colour of the map
        }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, classNames.ToArray());
        plot.Axes.Left.SetTicks(positions, classNames.Reverse().ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.Title(title);
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        return plot.GetImageBytes(size, size, ImageFormat.Png);
    }
}
