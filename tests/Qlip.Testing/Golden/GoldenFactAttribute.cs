using Xunit;

namespace Qlip.Testing.Golden;

/// <summary>A fact that is skipped, with a message saying where the data was expected, when the golden tensors are absent.</summary>
public sealed class GoldenFactAttribute : FactAttribute
{
    /// <summary>Skips when <see cref="GoldenData.Root"/> is null.</summary>
    public GoldenFactAttribute()
    {
        if (GoldenData.SkipReason is { } reason) Skip = reason;
    }
}
