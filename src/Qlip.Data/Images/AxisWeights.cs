namespace Qlip.Data.Images;

/// <summary>
/// One axis of a separable resize: for each output index the first input index it reads and its normalized tap
/// weights, computed once per resize the way Pillow's <c>precompute_coeffs</c> does (Resample.c): output pixel i is
/// centred at <c>in0 + (i + ½)·scale</c>, the kernel is stretched by the scale when downscaling (antialiasing), taps
/// outside the image are dropped and the rest renormalized, so a constant image stays constant up to the edges.
/// </summary>
internal sealed class AxisWeights
{
    private AxisWeights(int[] start, int taps, float[] weights) => (Start, Taps, Weights) = (start, taps, weights);

    /// <summary>First input index each output reads (relative to <see cref="First"/> after <see cref="Shift"/>).</summary>
    public int[] Start { get; }

    /// <summary>Taps per output; outputs near an edge have trailing zero weights.</summary>
    public int Taps { get; }

    /// <summary>Row-major (outputs × <see cref="Taps"/>).</summary>
    public float[] Weights { get; }

    public int Outputs => Start.Length;

    /// <summary>The input range [First, End) any tap reads.</summary>
    public int First => Start[0];

    public int End => Start[^1] + Taps;

    public static AxisWeights Compute(int inSize, double in0, double inLength, int outSize, ResampleFilter filter)
    {
        var scale = inLength / outSize;
        var stretch = Math.Max(scale, 1.0);
        var support = Support(filter) * stretch;
        var taps = Math.Min(inSize, (int)Math.Ceiling(support) * 2 + 1);
        var start = new int[outSize];
        var weights = new float[outSize * taps];
        var w = new double[taps];
        for (var i = 0; i < outSize; i++)
        {
            var center = in0 + (i + 0.5) * scale;
            var lo = Math.Max(0, (int)Math.Floor(center - support + 0.5));
            var hi = Math.Min(inSize, (int)Math.Floor(center + support + 0.5));
            // Keep a fixed tap count: slide the window inside the image, the extra taps get weight 0.
            var first = Math.Clamp(lo, 0, inSize - taps);
            double total = 0;
            for (var k = 0; k < taps; k++)
            {
                var x = first + k;
                w[k] = x >= lo && x < hi ? Kernel(filter, (x - center + 0.5) / stretch) : 0;
                total += w[k];
            }
            if (total == 0) // a box narrower than a pixel between two centres: take the nearest pixel
            {
                var nearest = Math.Clamp((int)Math.Floor(center), first, first + taps - 1);
                w[nearest - first] = total = 1;
            }
            start[i] = first;
            for (var k = 0; k < taps; k++) weights[i * taps + k] = (float)(w[k] / total);
        }
        return new AxisWeights(start, taps, weights);
    }

    /// <summary>The same weights reading from an input that starts at <paramref name="offset"/>.</summary>
    public AxisWeights Shift(int offset) => new([.. Start.Select(s => s - offset)], Taps, Weights);

    private static double Support(ResampleFilter filter) => filter switch
    {
        ResampleFilter.Box => 0.5,
        ResampleFilter.Bicubic => 2.0,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, null),
    };

    private static double Kernel(ResampleFilter filter, double x)
    {
        if (filter == ResampleFilter.Box) return x > -0.5 && x <= 0.5 ? 1 : 0;
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        return 0;
    }
}
