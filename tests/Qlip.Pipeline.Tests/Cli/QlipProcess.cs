using System.Diagnostics;
using System.Text;

namespace Qlip.Pipeline.Tests.Cli;

/// <summary>Runs the built `qlip` (qlip.dll next to the tests) as a child process with a chosen environment.</summary>
public sealed class QlipProcess : IDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private QlipProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    public static QlipProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qlip.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return new QlipProcess(Process.Start(start)!);
    }

    /// <summary>Runs to the end; returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var qlip = Start(environment, args);
        await qlip.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        qlip.Process.WaitForExit(); // flushes the redirected streams
        return (qlip.Process.ExitCode, qlip.Stdout, qlip.Stderr);
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill();
        Process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null) return;
        lock (buffer) buffer.AppendLine(line);
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer) return buffer.ToString();
    }
}
