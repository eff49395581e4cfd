namespace Qlip.Testing.Golden;

/// <summary>
/// Locates the reference tensors in <c>shared/golden/</c> (made by running NVlabs/QLIP, see its README). They live
/// beside the repository (<c>../shared</c>), never inside it. Set <c>QLIP_GOLDEN_DIR</c> to point elsewhere.
/// </summary>
public static class GoldenData
{
    private static readonly Lazy<string?> RootDirectory = new(Locate);

    /// <summary>The golden directory, or null when it is absent.</summary>
    public static string? Root => RootDirectory.Value;

    /// <summary>Why golden tests are skipped, or null when the data is present.</summary>
    public static string? SkipReason => Root is null
        ? "golden tensors not found: expected ../shared/golden beside the repository (or set QLIP_GOLDEN_DIR)"
        : null;

    /// <summary>The full path of <paramref name="relative"/> (e.g. <c>bsq_quantizer/L28_group_beta0p0_rand.safetensors</c>).</summary>
    /// <exception cref="InvalidOperationException">The golden directory is absent.</exception>
    /// <exception cref="FileNotFoundException">The golden directory exists but the file does not.</exception>
    public static string PathOf(string relative)
    {
        var root = Root ?? throw new InvalidOperationException(SkipReason);
        var path = Path.Combine(root, relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"golden file missing: {path}", path);
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("QLIP_GOLDEN_DIR");
        if (!string.IsNullOrEmpty(fromEnv)) return Directory.Exists(fromEnv) ? fromEnv : null;
        // ../shared of the repository root; a git worktree nested deeper finds it further up.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "golden");
            if (File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
        }
        return null;
    }
}
