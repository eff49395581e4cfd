namespace Qlip.Data.Images;

/// <summary>Why an image could not be decoded; <see cref="ImageDecodeException.Reason"/> gives the counting code.</summary>
public enum ImageDecodeError
{
    /// <summary>The bytes are not an image in a supported format (reason <c>not_an_image</c>).</summary>
    NotAnImage,
    /// <summary>The header is fine but the data ends early (reason <c>truncated_image</c>).</summary>
    Truncated,
    /// <summary>The pixel data is corrupt (reason <c>corrupt_image</c>).</summary>
    Corrupt,
    /// <summary>The header claims more pixels than allowed (reason <c>too_many_pixels</c>).</summary>
    TooManyPixels,
}
