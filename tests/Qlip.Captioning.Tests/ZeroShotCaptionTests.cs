using Qlip.Captioning.Backends;
using Qlip.ML.Inference;

namespace Qlip.Captioning.Tests;

/// <summary>The documented caption rule of the zeroshot backend.</summary>
public sealed class ZeroShotCaptionTests
{
    [Theory]
    [InlineData("Sneaker", 0.93, "Bag", 0.05, "a photo of a sneaker", 0.93)]
    [InlineData("Ankle boot", 0.5, "Sandal", 0.4, "a photo of an ankle boot", 0.5)]
    [InlineData("Coat", 0.45, "Pullover", 0.35, "a photo of a coat or a pullover", 0.80)]
    [InlineData("T-shirt/top", 0.2, "Shirt", 0.19, "a photo of a t-shirt/top or a shirt", 0.39)]
    public void One_label_from_half_the_probability_up_else_the_best_two_with_their_sum(
        string best, double p1, string second, double p2, string caption, double confidence)
    {
        var (text, c) = ZeroShotCaption.Compose([new LabelProbability(best, 0, p1), new LabelProbability(second, 1, p2)], 0.5);
        Assert.Equal(caption, text);
        Assert.Equal(confidence, c, 5);
    }
}
