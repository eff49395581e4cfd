using Qlip.Data.Captions;
using Qlip.ML.Inference;

namespace Qlip.Captioning.Backends;

/// <summary>
/// The <c>zeroshot</c> backend's caption rule. The most probable label p₁ ≥ the single-label confidence (default 0.5):
/// "a photo of a {label}", confidence p₁. Below it the model hesitates, so the caption names the two most probable
/// labels, "a photo of a {label₁} or a {label₂}", confidence p₁ + p₂ (the probability that one of them is right).
/// Labels are lower-cased and take "an" before a vowel letter ("an ankle boot").
/// </summary>
public static class ZeroShotCaption
{
    /// <summary>The caption and its confidence from the labels ranked best first (at least one).</summary>
    public static (string Caption, float Confidence) Compose(IReadOnlyList<LabelProbability> ranked, double singleLabelConfidence)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ranked.Count);
        var best = ranked[0];
        if (best.Probability >= singleLabelConfidence || ranked.Count == 1)
            return ($"a photo of {Noun(best.Label)}", (float)best.Probability);
        var second = ranked[1];
        return ($"a photo of {Noun(best.Label)} or {Noun(second.Label)}", (float)Math.Min(1, best.Probability + second.Probability));
    }

    private static string Noun(string label)
    {
        var noun = label.Trim().ToLowerInvariant();
        return $"{CaptionTemplates.Article(noun)} {noun}";
    }
}
