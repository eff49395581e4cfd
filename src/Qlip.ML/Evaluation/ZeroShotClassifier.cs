using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Qlip.ML.Evaluation;

/// <summary>
/// Zero-shot classification as CLIP evaluates it (qlip-spec §6): per class, the L2-normalised text embeddings of
/// several prompt templates are averaged and the mean renormalised; an image's class is the top-1 cosine similarity.
/// The caller supplies the embeddings (from any text and image towers), so this works on plain tensors.
/// </summary>
public static class ZeroShotClassifier
{
    /// <summary>Class weights (K, D) from text embeddings (K classes, T templates, D).</summary>
    public static Tensor ClassWeights(Tensor textEmbeddings)
    {
        if (textEmbeddings.dim() != 3)
            throw new ArgumentException($"Expected text embeddings as (classes, templates, dim), got [{string.Join(", ", textEmbeddings.shape)}].", nameof(textEmbeddings));
        using var scope = NewDisposeScope();
        var perTemplate = F.normalize(textEmbeddings, p: 2, dim: -1);  // (K, T, D)
        var mean = perTemplate.mean([1L]);                             // (K, D)
        return F.normalize(mean, p: 2, dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>Predicted class (N) int64 for image embeddings (N, D) against class weights (K, D).</summary>
    public static Tensor Predict(Tensor imageEmbeddings, Tensor classWeights)
    {
        if (imageEmbeddings.dim() != 2 || classWeights.dim() != 2 || imageEmbeddings.shape[1] != classWeights.shape[1])
            throw new ArgumentException(
                $"Expected images (N, D) and class weights (K, D), got [{string.Join(", ", imageEmbeddings.shape)}] and [{string.Join(", ", classWeights.shape)}].");
        using var scope = NewDisposeScope();
        var similarity = F.normalize(imageEmbeddings, p: 2, dim: -1).matmul(classWeights.t());  // (N, K) cosines
        return similarity.argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Top-1 accuracy of <see cref="Predict"/> against integer <paramref name="labels"/> (N).</summary>
    public static double Top1Accuracy(Tensor imageEmbeddings, Tensor classWeights, Tensor labels)
    {
        using var predicted = Predict(imageEmbeddings, classWeights);
        using var correct = predicted.eq(labels.to_type(ScalarType.Int64));
        return correct.to_type(ScalarType.Float64).mean().item<double>();
    }
}
