using System.Globalization;

namespace Qlip.Bench;

/// <summary>
/// CPU time of the calling OS thread, from /proc/thread-self/stat (clock ticks of 10 ms). On one intra-op thread libtorch
/// runs the ops on the thread that calls them, so a training thread's CPU time is its step's work without the time it
/// waited for a core another process held: a rate per CPU-second barely moves with the machine's load.
/// </summary>
internal static class ThreadCpu
{
    private const double TicksPerSecond = 100;  // USER_HZ, 100 on every Linux ABI .NET runs on

    /// <summary>User + system seconds this thread has run.</summary>
    public static double Seconds()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        // Fields after "(comm)", which may hold spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
