namespace Qlip.Data.Images;

/// <summary>An image that cannot be decoded. Ingest counts these per <see cref="Reason"/> and carries on.</summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/> with a message naming the problem.</summary>
    public ImageDecodeException(ImageDecodeError error, string message) : base(message) => Error = error;

    /// <summary>The kind of failure.</summary>
    public ImageDecodeError Error { get; }

    /// <summary>The snake_case reason code used in stats files (<c>not_an_image</c>, <c>truncated_image</c>, …).</summary>
    public string Reason => ReasonCode(Error);

    /// <summary>The snake_case reason code of <paramref name="error"/>.</summary>
    public static string ReasonCode(ImageDecodeError error) => error switch
    {
        ImageDecodeError.NotAnImage => "not_an_image",
        ImageDecodeError.Truncated => "truncated_image",
        ImageDecodeError.Corrupt => "corrupt_image",
        ImageDecodeError.TooManyPixels => "too_many_pixels",
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}
