namespace Qlip.Captioning.Backends;

/// <summary>One image to caption.</summary>
/// <param name="Key">The sample key, for logs and errors.</param>
/// <param name="Image">Encoded image bytes as stored in the shard.</param>
/// <param name="MediaType">e.g. <c>image/jpeg</c>.</param>
/// <param name="AltText">The sample's existing caption, or null.</param>
public sealed record CaptionInput(string Key, ReadOnlyMemory<byte> Image, string MediaType, string? AltText);
