namespace Qlip.Bench;

/// <summary>One benchmark: it measures, prints progress, and returns the markdown body of its results.md section.</summary>
internal interface IBenchmark
{
    /// <summary>Command-line name and results.md section title.</summary>
    string Name { get; }

    /// <summary>One line for the usage text, including the options it reads.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark; <paramref name="log"/> gets progress lines.</summary>
    string Run(BenchArgs args, TextWriter log);
}
