using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Qlip.Data.Captions;

/// <summary>
/// The one caption policy ingest, tokenization and training read captions through: original, recaption, or a mix in
/// which a key takes the recaption when a hash of the key falls below <see cref="RecaptionRatio"/>. The choice depends
/// only on the key, so every epoch, worker and rerun sees the same caption for a sample.
/// </summary>
/// <param name="Source">Which caption is preferred.</param>
/// <param name="RecaptionRatio">For <see cref="CaptionSource.Mixed"/>: the fraction of keys that take the recaption.</param>
public sealed record CaptionResolver(CaptionSource Source, double RecaptionRatio = 0.5)
{
    /// <summary>The caption for <paramref name="key"/>, falling back to the other one when the preferred one is missing.</summary>
    public string? Resolve(string key, string? original, string? recaption)
    {
        var (preferred, fallback) = PrefersRecaption(key) ? (recaption, original) : (original, recaption);
        return string.IsNullOrWhiteSpace(preferred) ? (string.IsNullOrWhiteSpace(fallback) ? null : fallback) : preferred;
    }

    /// <summary>Whether <paramref name="key"/> prefers the recaption under this policy.</summary>
    public bool PrefersRecaption(string key) => Source switch
    {
        CaptionSource.Original => false,
        CaptionSource.Recaption => true,
        CaptionSource.Mixed when RecaptionRatio is < 0 or > 1 =>
            throw new ArgumentOutOfRangeException(nameof(RecaptionRatio), RecaptionRatio, "must be in [0, 1]"),
        CaptionSource.Mixed => UnitHash(key) < RecaptionRatio,
        _ => throw new ArgumentOutOfRangeException(nameof(Source), Source, "unknown caption source"),
    };

    // SHA-256 rather than string.GetHashCode: the latter is randomized per process.
    private static double UnitHash(string key)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), digest);
        return (BinaryPrimitives.ReadUInt64LittleEndian(digest) >> 11) * (1.0 / (1UL << 53));
    }
}
