namespace Qlip.Data.Images;

/// <summary>Limits and hints for <see cref="ImageDecoder"/>.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>The defaults: at most <see cref="DefaultMaxPixels"/> pixels, full-size decoding.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>Pillow's decompression-bomb limit (2 × 89,478,485 is where Pillow refuses); we refuse above it.</summary>
    public const long DefaultMaxPixels = 89_478_485;

    /// <summary>Images whose header claims more pixels than this are rejected before any pixel is decoded.</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>
    /// When positive, the decoder may decode at a reduced size (JPEG DCT scaling, WebP) as long as the short side stays
    /// at least this many pixels. Set it to the resize target to make large JPEGs several times cheaper.
    /// </summary>
    public int MinShortSide { get; init; }
}
