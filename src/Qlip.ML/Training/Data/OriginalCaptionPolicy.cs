using System.Text;
using Qlip.Data.WebDataset;

namespace Qlip.ML.Training.Data;

/// <summary>The caption stored with the sample (its <c>txt</c> member), trimmed; blank counts as none.</summary>
public sealed class OriginalCaptionPolicy : ICaptionPolicy
{
    /// <inheritdoc />
    public string? Caption(WebDatasetSample sample) =>
        sample.Get("txt") is { } bytes && Encoding.UTF8.GetString(bytes).Trim() is { Length: > 0 } text ? text : null;
}
