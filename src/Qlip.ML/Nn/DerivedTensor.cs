using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>
/// A constant computed from the config (RoPE tables, a codebook) that follows its input's device and dtype, and is
/// never saved. Not a non-persistent buffer on purpose: TorchSharp 0.107's <c>Module.to</c> skips those (its
/// <c>named_buffers</c> drops a module's own non-persistent entries), so they would stay on the CPU in fp32.
/// </summary>
public sealed class DerivedTensor : IDisposable
{
    private readonly Tensor master;
    private readonly Dictionary<(DeviceType, int, ScalarType), Tensor> copies = [];
    private readonly Lock gate = new();

    /// <summary>Keeps a detached copy of <paramref name="value"/> outside any dispose scope.</summary>
    public DerivedTensor(Tensor value)
    {
        master = value.detach().DetachFromDisposeScope();
    }

    /// <summary>The value as computed (device and dtype of construction).</summary>
    public Tensor Value => master;

    /// <summary>The value on <paramref name="other"/>'s device, in its dtype when that is floating point.</summary>
    public Tensor Like(Tensor other)
    {
        var dtype = is_floating_point(other) ? other.dtype : master.dtype;
        if (other.device_type == master.device_type && other.device_index == master.device_index && dtype == master.dtype)
            return master;
        lock (gate)
        {
            var key = (other.device_type, other.device_index, dtype);
            if (!copies.TryGetValue(key, out var copy))
            {
                copy = master.to(dtype, other.device).DetachFromDisposeScope();
                copies[key] = copy;
            }
            return copy;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        master.Dispose();
        foreach (var copy in copies.Values) copy.Dispose();
    }
}
