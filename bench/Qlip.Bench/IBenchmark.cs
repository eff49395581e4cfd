namespace Qlip.Bench;

/// <summary>One benchmark: it measures, prints progress, and returns the markdown body of its results.md section.</summary>
internal interface IBenchmark
{
    /// <summary>Command-line name and results.md section title.</summary>
    string Name { get; }

    /// <summary>The results.md section these options write (a variant of a benchmark may keep its own); default <see cref="Name"/>.</summary>
    string Section(BenchArgs args) => Name;

    /// <summary>One line for the usage text, with the defaults of its options.</summary>
    string Description { get; }

    /// <summary>The option names (without "--") it reads; anything else on the command line is refused before running.</summary>
    IReadOnlyList<string> Options { get; }

    /// <summary>Runs the benchmark; <paramref name="log"/> gets progress lines.</summary>
    string Run(BenchArgs args, TextWriter log);
}
