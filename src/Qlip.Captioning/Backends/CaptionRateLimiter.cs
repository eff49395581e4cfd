using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Qlip.Captioning.Backends;

/// <summary>
/// Client-side limits on requests and estimated tokens per window (token buckets refilled once per window), shared by
/// every request of the process, so a worker stays under the endpoint's quota instead of living on 429s.
/// </summary>
public sealed class CaptionRateLimiter : IDisposable
{
    private readonly RateLimiter? _requests;
    private readonly RateLimiter? _tokens;
    private readonly int _tokenLimit;

    public CaptionRateLimiter(IOptions<CaptioningOptions> options)
    {
        var o = options.Value;
        _requests = Bucket(o.RequestsPerMinute, o.RateLimitWindow);
        _tokens = Bucket(o.TokensPerMinute, o.RateLimitWindow);
        _tokenLimit = o.TokensPerMinute;
    }

    /// <summary>Waits until one request costing about <paramref name="tokens"/> tokens fits in both limits.</summary>
    public async Task AcquireAsync(int tokens, CancellationToken ct)
    {
        if (_requests is not null) Check(await _requests.AcquireAsync(1, ct));
        // A request larger than the whole budget would wait forever: it takes the full window instead.
        if (_tokens is not null) Check(await _tokens.AcquireAsync(Math.Min(tokens, _tokenLimit), ct));
    }

    public void Dispose()
    {
        _requests?.Dispose();
        _tokens?.Dispose();
    }

    private static TokenBucketRateLimiter? Bucket(int perWindow, TimeSpan window) => perWindow <= 0 ? null : new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = perWindow,
        TokensPerPeriod = perWindow,
        ReplenishmentPeriod = window,
        AutoReplenishment = true,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private static void Check(RateLimitLease lease)
    {
        using (lease)
            if (!lease.IsAcquired) throw new InvalidOperationException("rate limiter refused a queued request");
    }
}
