using Qlip.Data.WebDataset;

namespace Qlip.ML.Training.Data;

/// <summary>Chooses the caption a training sample is paired with (original caption now; templates or recaptions later).</summary>
public interface ICaptionPolicy
{
    /// <summary>The caption for <paramref name="sample"/>, or null when it has none (the sample is then skipped and counted).</summary>
    string? Caption(WebDatasetSample sample);
}
