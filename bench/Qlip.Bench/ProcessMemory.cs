using System.Globalization;

namespace Qlip.Bench;

/// <summary>This process's resident memory (managed heap + libtorch's native allocations + code), from /proc.</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in bytes (kB in /proc/self/status).</summary>
    public static long Rss()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary><paramref name="bytes"/> as "123.4 MiB".</summary>
    public static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB");
}
