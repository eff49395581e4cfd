using static TorchSharp.torch;

namespace Qlip.Bench;

/// <summary>Runs a measurement at each libtorch thread count, bracketed by the fp32 matmul peak, then restores the default.</summary>
internal static class ThreadSweep
{
    /// <summary>
    /// Per thread count t: set it, measure the peak, run <paramref name="measure"/>, measure the peak again (the better
    /// of before and after is the machine's), then hand t, the peak and the result to <paramref name="report"/>.
    /// </summary>
    public static void Run<T>(IReadOnlyList<int> threads, Func<T> measure, Action<int, double, T> report)
    {
        var defaultThreads = get_num_threads();
        try
        {
            foreach (var t in threads)
            {
                set_num_threads(t);
                var peak = MatmulPeak.Measure();
                var result = measure();
                report(t, Math.Max(peak, MatmulPeak.Measure()), result);
            }
        }
        finally
        {
            set_num_threads(defaultThreads);
        }
    }
}
