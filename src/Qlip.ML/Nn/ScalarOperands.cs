using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>
/// Tensor ⊗ number without TorchSharp's temporary-Scalar use-after-free. TorchSharp wraps a number in a native Scalar
/// whose only reference is dropped once its handle is read, so a GC on another thread (the data prefetcher, the
/// storage SDK) can finalize it while the op still reads it: training crashed at random around step 300 with
/// "Expected false to be true … toFloat at Scalar.h". These helpers keep the Scalar alive until the op has returned;
/// Qlip.ML never passes a bare number to a tensor op (a test scans the assembly for it). Elsewhere, write
/// <c>using var s = value.ToScalar();</c> and pass <c>s</c>.
/// </summary>
public static class ScalarOperands
{
    /// <summary>
    /// 1, alive for the process: TorchSharp's own <c>Tensor + Tensor</c> and <c>add_(Scalar)</c> make a temporary
    /// alpha = 1, so additions pass this one instead.
    /// </summary>
    public static readonly Scalar One = 1.ToScalar();

    private static readonly Scalar Zero = 0.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>x² elementwise (TorchSharp's <c>square</c> makes a temporary exponent; x·x is what pow(x, 2) computes).</summary>
    public static Tensor Squared(this Tensor x) => x.mul(x);

    /// <summary>The value of a one-element tensor as a double (TorchSharp's <c>ToDouble</c> goes through a temporary Scalar).</summary>
    public static double Value(this Tensor x) => x.detach().cpu().to_type(ScalarType.Float64).item<double>();

    /// <summary>x · v.</summary>
    public static Tensor Times(this Tensor x, double v) => Kept(v.ToScalar(), s => x.mul(s));

    /// <summary>x · v, keeping an integer tensor integral.</summary>
    public static Tensor Times(this Tensor x, long v) => Kept(v.ToScalar(), s => x.mul(s));

    /// <summary>x &gt; 0, elementwise.</summary>
    public static Tensor IsPositive(this Tensor x)
    {
        return x.gt(Zero);
    }

    /// <summary>x mod v (Python's sign convention), elementwise.</summary>
    public static Tensor Modulo(this Tensor x, long v) => Kept(v.ToScalar(), s => x.remainder(s));

    /// <summary>x + v.</summary>
    public static Tensor Plus(this Tensor x, double v) => Kept(v.ToScalar(), s => x.add(s, One));

    /// <summary>x − v.</summary>
    public static Tensor Minus(this Tensor x, double v) => Kept(v.ToScalar(), s => x.sub(s));

    /// <summary>x / v.</summary>
    public static Tensor Over(this Tensor x, double v) => Kept(v.ToScalar(), s => x.div(s));

    /// <summary>v − x.</summary>
    public static Tensor From(this Tensor x, double v) => Kept(v.ToScalar(), s => x.neg().add_(s, One));

    /// <summary>x == v, elementwise.</summary>
    public static Tensor EqualTo(this Tensor x, long v) => Kept(v.ToScalar(), s => x.eq(s));

    /// <summary>x ≤ max, elementwise.</summary>
    public static Tensor AtMost(this Tensor x, double max) => Kept(max.ToScalar(), s => x.clamp_max(s));

    /// <summary>x ≥ min, elementwise.</summary>
    public static Tensor AtLeast(this Tensor x, double min) => Kept(min.ToScalar(), s => x.clamp_min(s));

    /// <summary>x clamped to [min, max].</summary>
    public static Tensor Between(this Tensor x, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return x.clamp(lo, hi);
    }

    /// <summary>x with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor FilledWhere(this Tensor x, Tensor mask, double value) => Kept(value.ToScalar(), s => x.masked_fill(mask, s));

    /// <summary>0, 1, …, n − 1 as int64 (or <paramref name="dtype"/>).</summary>
    public static Tensor Range(long n, Device? device = null, ScalarType dtype = ScalarType.Int64)
    {
        using var stop = n.ToScalar();
        return arange(Zero, stop, One, dtype, device);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Filled(long[] shape, double value, ScalarType dtype, Device? device = null) => Kept(value.ToScalar(), s => full(shape, s, dtype, device));

    // Runs op with s and frees s only once op has returned: the lifetime TorchSharp's temporaries lack.
    private static Tensor Kept(Scalar s, Func<Scalar, Tensor> op)
    {
        using (s) return op(s);
    }
}
