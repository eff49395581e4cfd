using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Qlip.Data.Images;

/// <summary>
/// Separable convolution resize of 8-bit RGB (Pillow's <c>ImagingResample</c> design, in float): the rows the
/// output needs are widened to float, a vertical pass combines whole rows with each output row's tap weights
/// (vectorized along the row), the result is transposed so the horizontal pass is a vertical pass too, and a last
/// transpose rounds and clamps back to bytes. Weights are computed once per axis (<see cref="AxisWeights"/>).
/// </summary>
public static class SeparableResampler
{
    /// <summary>
    /// Resamples the source rectangle (<paramref name="x0"/>, <paramref name="y0"/>, <paramref name="width"/> ×
    /// <paramref name="height"/>, in pixels, may be fractional) of <paramref name="image"/> to
    /// <paramref name="outWidth"/> × <paramref name="outHeight"/>. Taps may read pixels outside the rectangle that
    /// are inside the image; outside the image they are dropped.
    /// </summary>
    public static RgbImage Resample(RgbImage image, double x0, double y0, double width, double height, int outWidth, int outHeight,
        ResampleFilter filter = ResampleFilter.Bicubic)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        if (width <= 0 || height <= 0 || x0 < 0 || y0 < 0 || x0 + width > image.Width + 1e-9 || y0 + height > image.Height + 1e-9)
            throw new ArgumentOutOfRangeException(nameof(width), $"source rectangle ({x0}, {y0}, {width}×{height}) is not inside the {image.Width}×{image.Height} image");
        var xs = AxisWeights.Compute(image.Width, x0, width, outWidth, filter);
        var ys = AxisWeights.Compute(image.Height, y0, height, outHeight, filter);
        var (cols, rows) = (xs.End - xs.First, ys.End - ys.First);
        var pool = ArrayPool<float>.Shared;
        var region = pool.Rent(rows * cols * 3);
        var vertical = pool.Rent(outHeight * cols * 3);
        var transposed = pool.Rent(cols * outHeight * 3);
        var horizontal = pool.Rent(outWidth * outHeight * 3);
        try
        {
            for (var y = 0; y < rows; y++)
                Widen(image.Pixels.AsSpan(((ys.First + y) * image.Width + xs.First) * 3, cols * 3), region.AsSpan(y * cols * 3, cols * 3));
            CombineRows(region, cols * 3, ys.Shift(ys.First), vertical);          // (outH, cols, 3)
            Transpose(vertical, outHeight, cols, transposed);                      // (cols, outH, 3)
            CombineRows(transposed, outHeight * 3, xs.Shift(xs.First), horizontal); // (outW, outH, 3)
            return new RgbImage(outWidth, outHeight, TransposeToBytes(horizontal, outWidth, outHeight)); // (outH, outW, 3)
        }
        finally
        {
            pool.Return(region);
            pool.Return(vertical);
            pool.Return(transposed);
            pool.Return(horizontal);
        }
    }

    // output row i = Σ_k weight[i, k] · input row (start[i] + k); rows are `length` floats.
    private static void CombineRows(float[] input, int length, AxisWeights axis, float[] output)
    {
        for (var i = 0; i < axis.Outputs; i++)
        {
            var acc = output.AsSpan(i * length, length);
            acc.Clear();
            for (var k = 0; k < axis.Taps; k++)
            {
                var w = axis.Weights[i * axis.Taps + k];
                if (w != 0) MultiplyAdd(input.AsSpan((axis.Start[i] + k) * length, length), w, acc);
            }
        }
    }

    private static void MultiplyAdd(ReadOnlySpan<float> x, float w, Span<float> acc)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var av = MemoryMarshal.Cast<float, Vector<float>>(acc);
        var wv = new Vector<float>(w);
        for (var j = 0; j < xv.Length; j++) av[j] += xv[j] * wv;
        for (var j = xv.Length * Vector<float>.Count; j < x.Length; j++) acc[j] += x[j] * w;
    }

    private static void Widen(ReadOnlySpan<byte> bytes, Span<float> floats)
    {
        var i = 0;
        for (; i <= bytes.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            Vector.Widen(new Vector<byte>(bytes[i..]), out var low, out var high);
            Vector.Widen(low, out var a, out var b);
            Vector.Widen(high, out var c, out var d);
            var n = Vector<float>.Count;
            Vector.ConvertToSingle(a).CopyTo(floats[i..]);
            Vector.ConvertToSingle(b).CopyTo(floats[(i + n)..]);
            Vector.ConvertToSingle(c).CopyTo(floats[(i + 2 * n)..]);
            Vector.ConvertToSingle(d).CopyTo(floats[(i + 3 * n)..]);
        }
        for (; i < bytes.Length; i++) floats[i] = bytes[i];
    }

    // (rows, cols, 3) → (cols, rows, 3): pixels move, channels stay together.
    private static void Transpose(float[] input, int rows, int cols, float[] output)
    {
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            var (i, o) = ((r * cols + c) * 3, (c * rows + r) * 3);
            output[o] = input[i];
            output[o + 1] = input[i + 1];
            output[o + 2] = input[i + 2];
        }
    }

    // (outW, outH, 3) floats → (outH, outW, 3) bytes, rounded half up and clamped (bicubic overshoots).
    private static byte[] TransposeToBytes(float[] input, int outWidth, int outHeight)
    {
        var output = new byte[outWidth * outHeight * 3];
        for (var x = 0; x < outWidth; x++)
        for (var y = 0; y < outHeight; y++)
        {
            var (i, o) = ((x * outHeight + y) * 3, (y * outWidth + x) * 3);
            output[o] = ToByte(input[i]);
            output[o + 1] = ToByte(input[i + 1]);
            output[o + 2] = ToByte(input[i + 2]);
        }
        return output;
    }

    private static byte ToByte(float v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5f);
}
