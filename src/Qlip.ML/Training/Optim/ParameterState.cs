using static TorchSharp.torch;

namespace Qlip.ML.Training.Optim;

/// <summary>Per-parameter optimizer state: its own step count (for bias correction) and named moment tensors.</summary>
public sealed class ParameterState : IDisposable
{
    private readonly Dictionary<string, Tensor> slots = new(StringComparer.Ordinal);

    /// <summary>Number of updates applied to this parameter.</summary>
    public long Step { get; set; }

    /// <summary>The named slots in insertion order (e.g. <c>exp_avg</c>, <c>exp_avg_sq</c>).</summary>
    public IReadOnlyDictionary<string, Tensor> Slots => slots;

    /// <summary>Returns the slot, creating it as zeros like <paramref name="like"/> outside any dispose scope.</summary>
    public Tensor Slot(string name, Tensor like)
    {
        if (!slots.TryGetValue(name, out var slot))
        {
            slot = zeros_like(like).DetachFromDisposeScope();
            slots[name] = slot;
        }
        return slot;
    }

    /// <summary>Replaces a slot with a copy of <paramref name="value"/> (used when loading a checkpoint).</summary>
    public void SetSlot(string name, Tensor value)
    {
        if (slots.Remove(name, out var old)) old.Dispose();
        slots[name] = value.detach().clone().DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var slot in slots.Values) slot.Dispose();
        slots.Clear();
    }
}
