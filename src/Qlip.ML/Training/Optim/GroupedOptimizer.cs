using static TorchSharp.torch;

namespace Qlip.ML.Training.Optim;

/// <summary>
/// Base of our optimizers: parameter groups with their own lr and weight decay, per-parameter state keyed by the
/// parameter's name (so a checkpoint survives reordering), and a flat tensor state dict for resume.
/// </summary>
public abstract class GroupedOptimizer : IDisposable
{
    private const string StepSlot = "step";
    private readonly Dictionary<string, ParameterState> states = new(StringComparer.Ordinal);

    /// <summary>Validates that every parameter belongs to exactly one group.</summary>
    protected GroupedOptimizer(IReadOnlyList<ParameterGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        foreach (var p in group.Parameters)
            if (!seen.Add(p.Name))
                throw new ArgumentException($"Parameter '{p.Name}' appears in more than one group (again in '{group.Name}').", nameof(groups));
        Groups = groups;
    }

    /// <summary>The parameter groups in the order they were given.</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Sets every group's lr to its peak lr × <paramref name="factor"/> (the schedule's value for this step).</summary>
    public void SetLearningRates(double factor)
    {
        foreach (var group in Groups) group.Lr = group.PeakLr * factor;
    }

    /// <summary>Applies one update to every parameter that has a gradient; parameters without one are skipped.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        foreach (var group in Groups)
        foreach (var p in group.Parameters)
        {
            var grad = p.Parameter.grad;
            if (grad is null) continue;
            using var scope = NewDisposeScope();
            var state = StateOf(p.Name);
            state.Step++;
            Update(group, p.Parameter, grad, state);
        }
    }

    /// <summary>Zeroes every gradient in place (keeps the buffers, so memory stays flat across steps).</summary>
    public void ZeroGrad()
    {
        foreach (var group in Groups)
        foreach (var p in group.Parameters)
            p.Parameter.grad?.zero_();
    }

    /// <summary>One parameter's update, under <c>no_grad</c> and a dispose scope; <paramref name="state"/>.Step is already incremented.</summary>
    protected abstract void Update(ParameterGroup group, Tensor param, Tensor grad, ParameterState state);

    /// <summary>
    /// The state as named tensors: <c>{param}/step</c> (int64 scalar) and <c>{param}/{slot}</c>. The tensors are
    /// copies the caller owns.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, state) in states)
        {
            dict[$"{name}/{StepSlot}"] = tensor(state.Step).DetachFromDisposeScope();
            foreach (var (slot, value) in state.Slots)
                dict[$"{name}/{slot}"] = value.detach().clone().DetachFromDisposeScope();
        }
        return dict;
    }

    /// <summary>Restores a <see cref="StateDict"/>; state for a parameter no group holds, or of the wrong shape, is an error naming it.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> dict)
    {
        var byName = Groups.SelectMany(g => g.Parameters).ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var state in states.Values) state.Dispose();
        states.Clear();
        foreach (var (key, value) in dict)
        {
            var cut = key.LastIndexOf('/');
            if (cut <= 0) throw new InvalidDataException($"Optimizer state key '{key}' is not '{{parameter}}/{{slot}}'.");
            var (name, slot) = (key[..cut], key[(cut + 1)..]);
            if (!byName.TryGetValue(name, out var p))
                throw new InvalidDataException($"Optimizer state for '{name}', which no parameter group holds.");
            var state = StateOf(name);
            if (slot == StepSlot)
            {
                state.Step = value.item<long>();
                continue;
            }
            if (!value.shape.SequenceEqual(p.Parameter.shape))
                throw new InvalidDataException(
                    $"Optimizer state '{key}' has shape [{string.Join(", ", value.shape)}], parameter has [{string.Join(", ", p.Parameter.shape)}].");
            state.SetSlot(slot, value);
        }
    }

    private ParameterState StateOf(string name)
    {
        if (!states.TryGetValue(name, out var state))
        {
            state = new ParameterState();
            states[name] = state;
        }
        return state;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var state in states.Values) state.Dispose();
        states.Clear();
        GC.SuppressFinalize(this);
    }
}
