namespace Qlip.ML.Training.Optim;

/// <summary>
/// Parameters that share a peak learning rate and a weight decay. The trainer sets <see cref="Lr"/> every step to
/// <see cref="PeakLr"/> × the schedule factor, so per-module learning rates scale together.
/// </summary>
public sealed class ParameterGroup
{
    /// <summary>Creates a group whose current learning rate starts at its peak.</summary>
    public ParameterGroup(string name, IReadOnlyList<NamedParameter> parameters, double peakLr, double weightDecay)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(peakLr);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        Name = name;
        Parameters = parameters;
        PeakLr = peakLr;
        WeightDecay = weightDecay;
        Lr = peakLr;
    }

    /// <summary>Group name used in metrics (<c>lr/{Name}</c>) and reports.</summary>
    public string Name { get; }

    /// <summary>The parameters this group updates.</summary>
    public IReadOnlyList<NamedParameter> Parameters { get; }

    /// <summary>Learning rate at schedule factor 1.</summary>
    public double PeakLr { get; }

    /// <summary>Decoupled weight decay λ (0 for norms, biases, embeddings and the logit scale).</summary>
    public double WeightDecay { get; }

    /// <summary>Learning rate used by the next <see cref="GroupedOptimizer.Step"/>.</summary>
    public double Lr { get; set; }
}
