using Qlip.ML.Evaluation;
using Qlip.ML.Tests.Training;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Evaluation;

public class ClassificationMetricsTests
{
    [Fact]
    public void Confusion_matrix_counts_rows_as_true_classes()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(tensor(new long[] { 0, 1, 1, 2 }), tensor(new long[] { 0, 1, 2, 2 }));
        matrix.Add(tensor(new long[] { 0 }), tensor(new long[] { 1 }));
        Assert.Equal(1, matrix[2, 1]);
        Assert.Equal(1, matrix[1, 0]);
        Assert.Equal(3 / 5.0, matrix.Accuracy, 12);
        Assert.Equal([1.0, 0.5, 0.5], matrix.Recall);
    }

    [Fact]
    public void Linear_probe_on_fashion_mnist_pixels_beats_chance_by_far()
    {
        var (trainImages, trainLabels) = FashionMnistTestData.Slice(train: true, 0, 2000);
        var (testImages, testLabels) = FashionMnistTestData.Slice(train: false, 0, 1000);
        using var noGrad = no_grad();  // as inside Trainer evaluation
        using var probe = LinearProbe.Fit(trainImages.flatten(1), trainLabels, classes: 10);
        var train = probe.Accuracy(trainImages.flatten(1), trainLabels);
        var test = probe.Accuracy(testImages.flatten(1), testLabels);
        Assert.True(test > 0.75, $"test accuracy {test:P1} (logistic regression on raw pixels reaches ~80 %)");
        Assert.True(train >= test, $"train {train:P1} < test {test:P1}");
    }
}
