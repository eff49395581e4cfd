namespace Qlip.Data.Images;

/// <summary>
/// What the header of an encoded image says, read without decoding any pixel.
/// <see cref="Width"/> and <see cref="Height"/> are as displayed, i.e. after the EXIF orientation is applied;
/// <see cref="StoredWidth"/> and <see cref="StoredHeight"/> are the encoded raster's.
/// </summary>
/// <param name="Format">The encoded format.</param>
/// <param name="StoredWidth">Raster width as stored in the file.</param>
/// <param name="StoredHeight">Raster height as stored in the file.</param>
/// <param name="Orientation">EXIF orientation 1..8 (1 = as stored).</param>
public sealed record ImageHeader(ImageFileFormat Format, int StoredWidth, int StoredHeight, int Orientation)
{
    /// <summary>True for orientations 5..8, which swap width and height.</summary>
    public bool SwapsAxes => Orientation >= 5;

    /// <summary>Displayed width.</summary>
    public int Width => SwapsAxes ? StoredHeight : StoredWidth;

    /// <summary>Displayed height.</summary>
    public int Height => SwapsAxes ? StoredWidth : StoredHeight;

    /// <summary>Width × height, as a long so 60000 × 60000 does not overflow.</summary>
    public long PixelCount => (long)StoredWidth * StoredHeight;
}
