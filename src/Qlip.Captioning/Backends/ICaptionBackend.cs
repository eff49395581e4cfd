using Qlip.Shared.Messages;

namespace Qlip.Captioning.Backends;

/// <summary>
/// A way to caption images. Registered as a keyed singleton under its <see cref="Name"/>, the name caption requests
/// carry (<see cref="CaptionBackendNames"/>; UM3's image-to-text backend plugs in the same way).
/// </summary>
public interface ICaptionBackend
{
    /// <summary>The backend name written to the captions parquet.</summary>
    string Name { get; }

    /// <summary>
    /// Readies the backend for one request before any of its samples (a model backend loads the request's checkpoint
    /// and label vocabulary here) and returns what captions its images.
    /// </summary>
    /// <exception cref="CaptionShardException">The request cannot be served now (e.g. its checkpoint is missing); the reason says why.</exception>
    /// <exception cref="Shared.Queues.PermanentMessageException">The request can never be served as configured (e.g. no checkpoint named at all).</exception>
    Task<ICaptioner> OpenAsync(CaptionRequest request, CancellationToken ct);
}
