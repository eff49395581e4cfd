namespace Qlip.Captioning.Backends;

/// <summary>Captions the images of one request (what <see cref="ICaptionBackend.OpenAsync"/> readied).</summary>
public interface ICaptioner
{
    /// <summary>Captions one image.</summary>
    /// <exception cref="CaptionFailedException">This sample could not be captioned; the reason code says why.</exception>
    Task<CaptionResult> CaptionAsync(CaptionInput input, CancellationToken ct);
}
