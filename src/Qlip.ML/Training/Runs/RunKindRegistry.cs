namespace Qlip.ML.Training.Runs;

/// <summary>The run kinds a host can train, keyed by name; adding a kind is registering one more class.</summary>
public sealed class RunKindRegistry
{
    private readonly Dictionary<string, ITrainingRunKind> kinds = new(StringComparer.Ordinal);

    /// <summary>A registry holding <paramref name="kinds"/>; two kinds with one name are an error.</summary>
    public RunKindRegistry(IEnumerable<ITrainingRunKind> kinds)
    {
        foreach (var kind in kinds)
            if (!this.kinds.TryAdd(kind.Name, kind)) throw new ArgumentException($"run kind '{kind.Name}' is registered twice", nameof(kinds));
    }

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => kinds.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The kind called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown kind; the message lists the known ones.</exception>
    public ITrainingRunKind Get(string name) =>
        kinds.TryGetValue(name, out var kind) ? kind : throw new ArgumentException($"unknown run kind '{name}'; known: {string.Join(", ", Names)}");
}
