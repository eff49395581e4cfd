namespace Qlip.Data.Images;

/// <summary>Encoded image formats recognised from the bytes (never from a file name).</summary>
public enum ImageFileFormat
{
    /// <summary>Anything the decoder does not support.</summary>
    Unknown,
    Jpeg,
    Png,
    Webp,
    Gif,
    Bmp,
}
