// Per-class prompt batches for zero-shot classification: every class × every template, tokenized for the
// text tower. The classifier embeds the (C·T, L) rows, views them as (C, T, D), L2-normalizes, averages over T
// and renormalizes (spec §6).
using static TorchSharp.torch;

namespace Qlip.ML.Text;

/// <summary>The prompts of a zero-shot classifier: class names × templates, in class-major order.</summary>
public sealed class ZeroShotPrompts
{
    /// <summary>Builds the prompt set; class names are used as given (the tokenizer lower-cases).</summary>
    /// <exception cref="ArgumentException">No classes, no templates, a blank class name or a template without "{}".</exception>
    public ZeroShotPrompts(IReadOnlyList<string> classNames, IReadOnlyList<string>? templates = null)
    {
        templates ??= PromptTemplates.Default;
        if (classNames.Count == 0) throw new ArgumentException("zero-shot needs at least one class name", nameof(classNames));
        if (templates.Count == 0) throw new ArgumentException("zero-shot needs at least one prompt template", nameof(templates));
        var blank = classNames.ToList().FindIndex(string.IsNullOrWhiteSpace);
        if (blank >= 0) throw new ArgumentException($"class name {blank} is blank", nameof(classNames));
        ClassNames = classNames;
        Templates = templates;
        Texts = [.. classNames.SelectMany(c => templates.Select(t => PromptTemplates.Fill(t, c)))];
    }

    /// <summary>The class names (index = class id).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The templates applied to every class.</summary>
    public IReadOnlyList<string> Templates { get; }

    /// <summary>All prompts, class-major: prompt of class c and template t at index c · T + t.</summary>
    public IReadOnlyList<string> Texts { get; }

    /// <summary>Tokenized prompts, shape (C, T, <paramref name="contextLength"/>) int64.</summary>
    public Tensor Tokenize(ClipBpeTokenizer tokenizer, int contextLength = ClipBpeTokenizer.DefaultContextLength)
    {
        using var rows = tokenizer.TokenizeBatch(Texts, contextLength); // (C·T, L)
        return rows.view(ClassNames.Count, Templates.Count, contextLength); // (C, T, L)
    }
}
