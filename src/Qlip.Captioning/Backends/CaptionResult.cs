namespace Qlip.Captioning.Backends;

/// <summary>A caption, the model that wrote it, and the backend's confidence where it has one.</summary>
public sealed record CaptionResult(string Caption, string Model, float? Confidence);
