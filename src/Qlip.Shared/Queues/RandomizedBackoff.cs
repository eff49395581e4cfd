namespace Qlip.Shared.Queues;

/// <summary>
/// Polling delay of an idle queue, as the WebJobs queue listener does it: doubles from the minimum after each empty
/// receive, ±20 % jitter so many workers do not poll in step, capped at the maximum; reset when a message arrives.
/// </summary>
internal sealed class RandomizedBackoff(TimeSpan minimum, TimeSpan maximum)
{
    private int _emptyReceives;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_emptyReceives++, 30);
        var delay = minimum.TotalMilliseconds * Math.Pow(2, exponent) * (0.8 + 0.4 * Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(delay, maximum.TotalMilliseconds));
    }

    public void Reset() => _emptyReceives = 0;
}
