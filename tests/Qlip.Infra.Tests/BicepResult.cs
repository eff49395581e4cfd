namespace Qlip.Infra.Tests;

/// <summary>Exit code and output of one Bicep CLI call.</summary>
public sealed record BicepResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    public BicepResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"bicep {Command} exited {ExitCode}:\n{StdErr}\n{StdOut}");
}
