using Qlip.ML.Losses;
using Qlip.Testing.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Losses;

/// <summary>
/// InfoNCE on the labels of a real Fashion-MNIST batch, as class-template captions pair them. With 10 classes in a batch of 64, several pairs share a
/// class (and often the very caption), so even embeddings that separate the classes perfectly leave the loss at
/// mean ln(pairs of the same class) ≈ 1.9, not 0: stage-1 runs that plateau near 2 are aligned, not stuck.
/// </summary>
public sealed class ContrastiveLossTests
{
    [Fact]
    public void A_perfect_class_match_leaves_the_loss_at_the_mean_log_of_same_class_pairs()
    {
        var set = RealData.FashionMnistTrain;
        var labels = Enumerable.Range(0, 64).Select(i => set.Labels[i]).ToList();
        // Embeddings that match every same-class pair exactly (cosine 1) and no other (cosine 0), at CLIP's max scale 100.
        var logits = Enumerable.Range(0, 64).SelectMany(i => Enumerable.Range(0, 64).Select(j => labels[i] == labels[j] ? 100f : 0f)).ToArray();
        using var perfect = tensor(logits).view(64, 64);
        var floor = labels.Average(l => Math.Log(labels.Count(m => m == l)));
        Assert.InRange(floor, 1.5, 2.3);
        Assert.Equal(floor, ContrastiveLoss.Compute(perfect).ToDouble(), 4);

        using var chance = zeros(64, 64);
        Assert.Equal(Math.Log(64), ContrastiveLoss.Compute(chance).ToDouble(), 4);
    }
}
