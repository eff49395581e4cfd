namespace Qlip.Ingest.Reading;

/// <summary>
/// One sample as an input file holds it, before any checking: the key as written, the image bytes and their
/// extension (null when the sample has no image), the caption as raw bytes (null when absent; checked for UTF-8
/// later) and the source's per-sample metadata JSON (null when absent).
/// </summary>
public sealed record RawSample(string Key, byte[]? Image, string? ImageExtension, byte[]? Caption, byte[]? Metadata);
