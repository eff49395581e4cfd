namespace Qlip.Data.Making;

/// <summary>
/// One sample from a packaged source, ready to be written: encoded image bytes and what is known about them.
/// When <see cref="FailureReason"/> is set the sample is counted under that reason and not written.
/// </summary>
public sealed record SourceSample(
    string Source, string SourceId, byte[] ImageBytes, string Extension, int Width, int Height, string Caption,
    int? Label = null, string? ClassName = null, string? FailureReason = null, string? FailureMessage = null);
