namespace Qlip.Captioning.Backends;

/// <summary>
/// Writes a caption for one image. Registered as a keyed singleton under its <see cref="Name"/>, the name caption
/// requests carry (<c>openai</c>, <c>zero-shot</c>; UM3's image-to-text backend plugs in the same way).
/// </summary>
public interface ICaptionBackend
{
    /// <summary>The backend name written to the captions parquet.</summary>
    string Name { get; }

    /// <summary>Captions one image.</summary>
    /// <exception cref="CaptionFailedException">This sample could not be captioned; the reason code says why.</exception>
    Task<CaptionResult> CaptionAsync(CaptionInput input, CancellationToken ct);
}
