using System.Diagnostics;

namespace Qlip.Bench;

/// <summary>Times a repeated step: the median is robust to the odd slow step on a shared machine.</summary>
internal static class StepTimer
{
    /// <summary>Median seconds of <paramref name="steps"/> calls of <paramref name="body"/> after <paramref name="warmup"/>
    /// untimed ones; <paramref name="reset"/> runs untimed before each.</summary>
    public static double Median(Action body, int warmup, int steps, Action? reset = null)
    {
        for (var i = 0; i < warmup; i++) { reset?.Invoke(); body(); }
        var times = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            reset?.Invoke();
            var watch = Stopwatch.StartNew();
            body();
            times[i] = watch.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[steps / 2];
    }
}
