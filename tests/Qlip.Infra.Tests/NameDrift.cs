namespace Qlip.Infra.Tests;

/// <summary>Names the code uses that the template lacks (Missing) and names the template adds (Extra).</summary>
public sealed record NameDrift(string Kind, IReadOnlyList<string> Missing, IReadOnlyList<string> Extra)
{
    public bool IsEmpty => Missing.Count == 0 && Extra.Count == 0;

    public static NameDrift Between(string kind, IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var expectedList = expected.ToList();
        var actualList = actual.ToList();
        var missing = expectedList.Except(actualList, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var extra = actualList.Except(expectedList, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // A name declared twice is drift too (two resources fighting over one container).
        extra.AddRange(actualList.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key + " (twice)"));
        return new NameDrift(kind, missing, extra);
    }

    public override string ToString() =>
        $"{Kind}: missing [{string.Join(", ", Missing)}], extra [{string.Join(", ", Extra)}]";
}
