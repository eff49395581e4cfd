using System.Diagnostics;
using System.Reflection;

namespace Qlip.Infra.Tests;

/// <summary>Runs the Bicep CLI that NuGet restored (PackageDownload in the csproj); QLIP_BICEP overrides the path.</summary>
public static class BicepCli
{
    // Only guards against a hang: on a loaded 2-core CI box one call can take a minute.
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    // Each call is a .NET process that wants a core; more at once only thrash (other test projects run beside us).
    static readonly SemaphoreSlim Slots = new(Math.Max(1, Environment.ProcessorCount));

    public static string RepoRoot => Metadata("RepoRoot");

    public static string ExecutablePath
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("QLIP_BICEP") is { Length: > 0 } custom
                ? custom
                : Path.GetFullPath(Metadata("BicepPath"));
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"Bicep CLI not found at {path}: run scripts/setup.sh (restores Azure.Bicep.CommandLine.linux-x64).", path);
            // NuGet extraction does not promise the executable bit on every machine.
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
            return path;
        }
    }

    public static async Task<BicepResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The parameter files read these; pin them so a developer's shell cannot change what the tests see.
        foreach (var name in new[] { "QLIP_IMAGE_TAG", "QLIP_CAPTION_ENDPOINT", "QLIP_CAPTION_MODEL", "QLIP_CAPTION_API_KEY" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        await Slots.WaitAsync();
        try
        {
            return await RunProcessAsync(start, string.Join(' ', arguments));
        }
        finally
        {
            Slots.Release();
        }
    }

    static async Task<BicepResult> RunProcessAsync(ProcessStartInfo start, string command)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bicep");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {command} did not finish within {Timeout}");
        }
        return new BicepResult(command, process.ExitCode, await stdout, await stderr);
    }

    static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is empty");
}
