// Prompt templates for zero-shot classification (spec §6: average the normalized text embeddings of several
// templates per class). "{}" is replaced by the class name, as in CLIP's notebook and open_clip's metadata.
namespace Qlip.ML.Text;

/// <summary>Zero-shot prompt template sets.</summary>
public static class PromptTemplates
{
    /// <summary>The placeholder replaced by the class name.</summary>
    public const string Placeholder = "{}";

    /// <summary>
    /// A handful in the style of CLIP's 80 ImageNet templates (openai/CLIP notebooks/Prompt_Engineering_for_ImageNet),
    /// weighted towards what our small gray and clip-art sets look like.
    /// </summary>
    public static IReadOnlyList<string> Default { get; } =
    [
        "a photo of a {}.",
        "a blurry photo of a {}.",
        "a black and white photo of a {}.",
        "a low resolution photo of a {}.",
        "a photo of the small {}.",
        "a photo of the large {}.",
        "a drawing of a {}.",
        "a {} in a video game.",
    ];

    /// <summary>The seven templates CLIP's notebook selected for ImageNet (open_clip SIMPLE_IMAGENET_TEMPLATES).</summary>
    public static IReadOnlyList<string> SimpleImageNet { get; } =
    [
        "itap of a {}.",
        "a bad photo of the {}.",
        "a origami {}.",
        "a photo of the large {}.",
        "a {} in a video game.",
        "art of the {}.",
        "a photo of the small {}.",
    ];

    /// <summary>One template: "a photo of a {}." (CLIP's single-prompt baseline).</summary>
    public static IReadOnlyList<string> Single { get; } = ["a photo of a {}."];

    /// <summary>The template with its placeholder replaced by <paramref name="className"/>.</summary>
    /// <exception cref="ArgumentException">The template has no "{}".</exception>
    public static string Fill(string template, string className) =>
        template.Contains(Placeholder, StringComparison.Ordinal)
            ? template.Replace(Placeholder, className, StringComparison.Ordinal)
            : throw new ArgumentException($"prompt template '{template}' has no {Placeholder} placeholder", nameof(template));
}
