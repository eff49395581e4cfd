namespace Qlip.Data.Images;

/// <summary>img2dataset's resize modes.</summary>
public enum ResizeMode
{
    /// <summary>Resize the short side to the target, then cut the centred target × target square (the default).</summary>
    CenterCrop,
    /// <summary>Resize the long side to the target and pad to target × target with white.</summary>
    Border,
    /// <summary>Resize the short side to the target and keep the aspect ratio (no crop, no padding).</summary>
    KeepRatio,
}
