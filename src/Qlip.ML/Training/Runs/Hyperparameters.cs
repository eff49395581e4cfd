using System.Globalization;

namespace Qlip.ML.Training.Runs;

/// <summary>
/// A run's hyperparameter overrides by name (invariant-culture strings, as a run message or the CLI gives them). A run
/// kind reads each one with its default; <see cref="Resolved"/> then lists every value the run used, and
/// <see cref="EnsureAllUsed"/> rejects names no kind read, so a typo fails the run instead of being ignored.
/// </summary>
public sealed class Hyperparameters
{
    private readonly IReadOnlyDictionary<string, string> given;
    private readonly SortedDictionary<string, string> resolved = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="overrides"/> (null = none).</summary>
    public Hyperparameters(IReadOnlyDictionary<string, string>? overrides = null) =>
        given = overrides ?? new Dictionary<string, string>();

    /// <summary>Every hyperparameter read so far with the value used (override or default).</summary>
    public IReadOnlyDictionary<string, string> Resolved => resolved;

    /// <summary>Whether <paramref name="name"/> was given (not defaulted).</summary>
    public bool IsSet(string name) => given.ContainsKey(name);

    /// <summary>A floating-point value; a value that does not parse is an error naming it.</summary>
    public double Double(string name, double fallback) =>
        Read(name, fallback, s => (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v), v));

    /// <summary>An integer value.</summary>
    public long Long(string name, long fallback) =>
        Read(name, fallback, s => (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v), v));

    /// <summary>A 32-bit integer value.</summary>
    public int Int(string name, int fallback) => checked((int)Long(name, fallback));

    /// <summary>A true/false value.</summary>
    public bool Bool(string name, bool fallback) => Read(name, fallback, s => (bool.TryParse(s, out var v), v));

    /// <summary>A string value.</summary>
    public string String(string name, string fallback) => Read(name, fallback, s => (true, s));

    /// <summary>One of <typeparamref name="T"/>'s values by its lower-case name (e.g. <c>precision=bf16</c>).</summary>
    public T Choice<T>(string name, T fallback)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        return Read(name, fallback, s => (values.Any(v => Format(v) == s), values.FirstOrDefault(v => Format(v) == s)),
            $"one of {string.Join(", ", values.Select(v => Format(v)))}");
    }

    /// <summary>Throws naming every given hyperparameter that was never read, and listing the known ones.</summary>
    /// <exception cref="ArgumentException">Unknown names.</exception>
    public void EnsureAllUsed(string kind)
    {
        var unknown = given.Keys.Where(k => !resolved.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown hyperparameter(s) for {kind}: {string.Join(", ", unknown)}; known: {string.Join(", ", resolved.Keys)}");
    }

    private T Read<T>(string name, T fallback, Func<string, (bool Ok, T Value)> parse, string? expected = null)
    {
        if (!given.TryGetValue(name, out var text))
        {
            resolved[name] = Format(fallback);
            return fallback;
        }
        var (ok, value) = parse(text);
        if (!ok) throw new ArgumentException($"hyperparameter '{name}' = '{text}' is not {expected ?? "a valid " + typeof(T).Name.ToLowerInvariant()}");
        resolved[name] = Format(value);
        return value;
    }

    private static string Format<T>(T value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };
}
