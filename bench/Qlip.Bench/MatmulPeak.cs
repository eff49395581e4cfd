using System.Diagnostics;
using static TorchSharp.torch;

namespace Qlip.Bench;

/// <summary>The fp32 matmul FLOP/s libtorch reaches in this process with the current thread count: the denominator of every ratio.</summary>
internal static class MatmulPeak
{
    /// <summary>Best of repeated (n×n)·(n×n) products over about <paramref name="seconds"/>: 2·n³ FLOPs each.</summary>
    public static double Measure(int n = 1024, double seconds = 1.5)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        using (var warm = a.matmul(b)) { }
        var best = double.MaxValue;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var watch = Stopwatch.StartNew();
            using var c = a.matmul(b);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best;
    }
}
