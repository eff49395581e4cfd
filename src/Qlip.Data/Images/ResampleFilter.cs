namespace Qlip.Data.Images;

/// <summary>The kernels <see cref="SeparableResampler"/> convolves with (stretched by the scale when downscaling).</summary>
public enum ResampleFilter
{
    /// <summary>Area average (box, support ½): an exact k× reduction gives the mean of each k × k block.</summary>
    Box,

    /// <summary>Catmull-Rom cubic (a = −½, support 2): Pillow's and torchvision's BICUBIC.</summary>
    Bicubic,
}
