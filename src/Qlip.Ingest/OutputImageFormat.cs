namespace Qlip.Ingest;

/// <summary>How ingest re-encodes images.</summary>
public enum OutputImageFormat
{
    /// <summary>Baseline JPEG at <see cref="IngestOptions.JpegQuality"/> (img2dataset's default <c>jpg</c>).</summary>
    Jpeg,
    /// <summary>Lossless 8-bit RGB PNG.</summary>
    Png,
}
