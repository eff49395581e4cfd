using System.Text;

namespace Qlip.Bench;

/// <summary>bench/results.md: one "## name" section per benchmark, replaced in place when the benchmark runs again.</summary>
internal static class BenchResults
{
    private const string Header = "# Benchmark results\n\nWritten by `dotnet run -c Release --project bench/Qlip.Bench -- <benchmark>`; " +
        "each section is replaced when its benchmark runs again.\n";

    public static void WriteSection(string name, string body)
    {
        var path = Path.Combine(FindBench(), "results.md");
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : [.. Header.Split('\n')];
        var title = $"## {name}";
        var start = lines.IndexOf(title);
        List<string> section = [title, "", $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} logical CPUs, " +
            $"load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.", "", .. body.TrimEnd().Split('\n'), ""];
        if (start < 0)
        {
            if (lines.Count > 0 && lines[^1].Length > 0) lines.Add("");
            lines.AddRange(section);
        }
        else
        {
            var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
            lines.RemoveRange(start, (end < 0 ? lines.Count : end) - start);
            lines.InsertRange(start, section);
        }
        File.WriteAllText(path, string.Join('\n', lines).TrimEnd() + "\n", new UTF8Encoding(false));
    }

    private static string FindBench()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "bench", "Qlip.Bench"))) return Path.Combine(dir.FullName, "bench");
        throw new DirectoryNotFoundException("run from inside the Qlip checkout (bench/Qlip.Bench not found above the working directory)");
    }
}
