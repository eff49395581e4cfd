using TorchSharp;

namespace Qlip.ML.Training.Optim;

/// <summary>
/// Splits a model's parameters into optimizer groups by name: per-module learning rates (longest matching prefix
/// wins), weight-decay exclusions (every tensor with fewer than 2 dimensions — norms, biases, scalars such as the
/// logit scale — plus names containing an excluded fragment, e.g. <c>embedding</c>), and frozen prefixes.
/// The rule follows nanoGPT's <c>configure_optimizers</c> and open_clip's exclusion of gains, biases and embeddings.
/// </summary>
public sealed class ParameterGroupBuilder
{
    private const string DefaultGroup = "default";
    private readonly double baseLr;
    private readonly double weightDecay;
    private readonly List<(string Prefix, double Lr)> lrRules = [];
    private readonly List<string> frozenPrefixes = [];
    private readonly List<string> excludedPrefixes = [];
    private readonly List<string> noDecayFragments = [];

    /// <summary>Parameters no rule matches get <paramref name="baseLr"/>; decayed groups get <paramref name="weightDecay"/>.</summary>
    public ParameterGroupBuilder(double baseLr, double weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseLr);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        this.baseLr = baseLr;
        this.weightDecay = weightDecay;
    }

    /// <summary>Parameters whose name starts with <paramref name="prefix"/> train at peak lr <paramref name="lr"/>.</summary>
    public ParameterGroupBuilder LearningRate(string prefix, double lr)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(lr);
        if (lrRules.Any(r => r.Prefix == prefix)) throw new ArgumentException($"A learning rate for '{prefix}' is already set.", nameof(prefix));
        lrRules.Add((prefix, lr));
        return this;
    }

    /// <summary>Parameters whose name starts with <paramref name="prefix"/> are frozen (requires_grad = false).</summary>
    public ParameterGroupBuilder Freeze(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        frozenPrefixes.Add(prefix);
        return this;
    }

    /// <summary>
    /// Parameters whose name starts with <paramref name="prefix"/> stay trainable but belong to no group: another
    /// optimizer updates them (stage 2's discriminator, registered in <see cref="TrainingRun{TBatch}.AuxiliaryOptimizers"/>).
    /// </summary>
    public ParameterGroupBuilder Exclude(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        excludedPrefixes.Add(prefix);
        return this;
    }

    /// <summary>Parameters whose name contains any of <paramref name="nameFragments"/> get no weight decay.</summary>
    public ParameterGroupBuilder NoDecay(params string[] nameFragments)
    {
        foreach (var fragment in nameFragments) ArgumentException.ThrowIfNullOrEmpty(fragment);
        noDecayFragments.AddRange(nameFragments);
        return this;
    }

    /// <summary>
    /// Freezes the matching parameters of <paramref name="model"/> and groups the rest. A learning-rate or freeze
    /// prefix that matches no parameter is an error (a typo would otherwise silently train at the wrong rate).
    /// </summary>
    public ParameterGroupPlan Build(torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var buckets = new Dictionary<string, (List<NamedParameter> Parameters, double Lr, double Decay)>(StringComparer.Ordinal);
        var frozen = new List<string>();
        var usedPrefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, parameter) in model.named_parameters())
        {
            var excludedBy = excludedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
            if (excludedBy is not null)
            {
                usedPrefixes.Add(excludedBy);
                continue;
            }
            var freezeBy = frozenPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
            if (freezeBy is not null || !parameter.requires_grad)
            {
                if (freezeBy is not null) usedPrefixes.Add(freezeBy);
                parameter.requires_grad = false;
                frozen.Add(name);
                continue;
            }
            var rule = lrRules.Where(r => name.StartsWith(r.Prefix, StringComparison.Ordinal))
                .OrderByDescending(r => r.Prefix.Length)
                .Select(r => ((string Prefix, double Lr)?)r)
                .FirstOrDefault();
            var module = rule?.Prefix ?? DefaultGroup;
            if (rule is not null) usedPrefixes.Add(rule.Value.Prefix);
            var decays = parameter.dim() >= 2 && !noDecayFragments.Any(f => name.Contains(f, StringComparison.Ordinal));
            var key = $"{module.TrimEnd('.')}/{(decays ? "decay" : "no_decay")}";
            if (!buckets.TryGetValue(key, out var bucket))
            {
                bucket = ([], rule?.Lr ?? baseLr, decays ? weightDecay : 0);
                buckets[key] = bucket;
            }
            bucket.Parameters.Add(new NamedParameter(name, parameter));
        }
        var unused = lrRules.Select(r => r.Prefix).Concat(frozenPrefixes).Concat(excludedPrefixes).Where(p => !usedPrefixes.Contains(p)).ToList();
        if (unused.Count > 0) throw new ArgumentException($"No parameter name starts with: {string.Join(", ", unused)}.");
        var groups = buckets.Select(b => new ParameterGroup(b.Key, b.Value.Parameters, b.Value.Lr, b.Value.Decay)).ToList();
        return new ParameterGroupPlan(groups, frozen);
    }
}
