using System.Globalization;

namespace Qlip.Bench;

/// <summary>`--key value` options after the benchmark name.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var key = e.Current;
            if (!key.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
                throw new ArgumentException($"expected --key value pairs, got '{key}'");
            values[key[2..]] = e.Current;
        }
    }

    public string String(string key, string fallback)
    {
        return values.GetValueOrDefault(key, fallback);
    }

    public int Int(string key, int fallback)
    {
        var text = String(key, fallback.ToString(CultureInfo.InvariantCulture));
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{key} must be a positive integer, got '{text}'");
    }

    public IReadOnlyList<int> Ints(string key, string fallback) =>
        [.. String(key, fallback).Split(',').Select(t => int.TryParse(t, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw new ArgumentException($"--{key} must be positive integers separated by commas, got '{t}'"))];

    /// <summary>The option names given.</summary>
    public IEnumerable<string> Keys => values.Keys;
}
