using Qlip.ML.Evaluation;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Evaluation;

public class ZeroShotClassifierTests
{
    /// <summary>
    /// Class A's templates are (100, 0) and (0, 1): normalised and averaged they point at 45°, raw-averaged they would
    /// point almost along x. Class B's are both (0, 1). The image (0.5, 1) belongs to A only if templates are
    /// normalised before averaging and the mean is renormalised (without renormalising, B's longer mean wins).
    /// </summary>
    [Fact]
    public void Templates_are_normalised_averaged_and_renormalised()
    {
        var text = tensor(new float[] { 100, 0, 0, 1, /* B */ 0, 1, 0, 1 }, [2, 2, 2]);  // (K=2, T=2, D=2)
        var weights = ZeroShotClassifier.ClassWeights(text);
        Assert.Equal(new[] { 0.70711f, 0.70711f, 0f, 1f }, weights.data<float>().ToArray().Select(x => MathF.Round(x, 5)));

        var images = tensor(new float[] { 0.5f, 1, /* B */ 0, 3, /* A */ 1, 0.2f, /* labelled B, looks A */ 1, 0 }, [4, 2]);
        var labels = tensor(new long[] { 0, 1, 0, 1 });
        Assert.Equal(new long[] { 0, 1, 0, 0 }, ZeroShotClassifier.Predict(images, weights).data<long>().ToArray());
        Assert.Equal(0.75, ZeroShotClassifier.Top1Accuracy(images, weights, labels), 12);
    }

    [Fact]
    public void Mismatched_dimensions_are_reported() =>
        Assert.Contains("[3, 4]", Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Predict(zeros(3, 4), zeros(2, 5))).Message);
}
