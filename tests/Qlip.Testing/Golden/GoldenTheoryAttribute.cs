using Xunit;

namespace Qlip.Testing.Golden;

/// <summary>A theory that is skipped, with a message saying where the data was expected, when the golden tensors are absent.</summary>
public sealed class GoldenTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips when <see cref="GoldenData.Root"/> is null.</summary>
    public GoldenTheoryAttribute()
    {
        if (GoldenData.SkipReason is { } reason) Skip = reason;
    }
}
