using System.Diagnostics;

namespace Qlip.Data.Tests;

// Runs GNU tar, the reference reader our shards must satisfy.
internal static class GnuTar
{
    public static IReadOnlyList<string> List(string tarPath)
    {
        var info = new ProcessStartInfo("tar", ["tf", tarPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start tar");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"tar tf {tarPath} failed: {stderr}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
