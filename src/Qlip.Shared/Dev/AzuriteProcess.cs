using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Qlip.Shared.Dev;

/// <summary>
/// One Azurite node process on 127.0.0.1: started directly with node (one pid to stop; npx spawns three), output to a
/// log file in its data folder so it outlives the command that started it. Used by <c>qlip dev</c> and the test fixture.
/// </summary>
public sealed class AzuriteProcess
{
    /// <summary>Path of Azurite's entry point inside node_modules, relative to the repository root.</summary>
    public const string ScriptRelativePath = "node_modules/azurite/dist/src/azurite.js";

    private const int SigTerm = 15;

    private AzuriteProcess(int processId, DateTime startTime, AzuritePorts ports, string location)
    {
        ProcessId = processId;
        StartTime = startTime;
        Ports = ports;
        Location = location;
    }

    public int ProcessId { get; }

    /// <summary>The process start time, so a reused pid is never mistaken for this process.</summary>
    public DateTime StartTime { get; }

    public AzuritePorts Ports { get; }

    /// <summary>Azurite's data folder (also holds azurite.log).</summary>
    public string Location { get; }

    /// <summary>Starts Azurite and waits until all three ports accept connections.</summary>
    /// <exception cref="DevStoreException">A port is taken, node or Azurite is missing, or Azurite did not come up.</exception>
    public static async Task<AzuriteProcess> StartAsync(string script, AzuritePorts ports, string location, CancellationToken ct)
    {
        if (!File.Exists(script))
            throw new DevStoreException($"Azurite is not installed ({script} is missing): run scripts/setup.sh");
        foreach (var (service, port) in ports.Named)
            if (!IsPortFree(port))
                throw new DevStoreException(
                    $"port {port} ({service}) on 127.0.0.1 is already in use by another process: stop it, or use other ports");

        Directory.CreateDirectory(location);
        var log = Path.Combine(location, "azurite.log");
        // exec keeps the pid: the shell becomes node, whose output goes to the log instead of our pipes.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var arg in (string[])["-c", "exec \"$0\" \"$@\" >>\"$QLIP_AZURITE_LOG\" 2>&1", "node", script,
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", $"{ports.Blob}", "--queuePort", $"{ports.Queue}", "--tablePort", $"{ports.Table}",
                     "--location", location, "--skipApiVersionCheck", "--loose"])
            start.ArgumentList.Add(arg);
        start.Environment["QLIP_AZURITE_LOG"] = log;

        using var process = Process.Start(start) ?? throw new DevStoreException("could not start node");
        var azurite = new AzuriteProcess(process.Id, process.StartTime, ports, location);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await azurite.PortsAnswerAsync(ct))
        {
            if (process.HasExited)
                throw new DevStoreException($"Azurite exited with code {process.ExitCode}: {Tail(log)}");
            if (DateTime.UtcNow > deadline)
            {
                azurite.Kill();
                throw new DevStoreException($"Azurite did not open its ports within 60 s: {Tail(log)}");
            }
            await Task.Delay(100, ct);
        }
        return azurite;
    }

    /// <summary>Re-attaches to a process started earlier, or null when it is gone or the pid now belongs to another program.</summary>
    public static AzuriteProcess? Attach(int processId, DateTime startTime, AzuritePorts ports, string location)
    {
        var azurite = new AzuriteProcess(processId, startTime, ports, location);
        return azurite.IsAlive() ? azurite : null;
    }

    /// <summary>True while the process with this pid and start time is still the Azurite we started.</summary>
    public bool IsAlive()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited && Math.Abs((process.StartTime - StartTime).TotalSeconds) < 1
                && File.ReadAllText($"/proc/{ProcessId}/cmdline").Contains("azurite");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary>Whether all three ports accept a TCP connection now.</summary>
    public async Task<bool> PortsAnswerAsync(CancellationToken ct)
    {
        foreach (var (_, port) in Ports.Named)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Asks Azurite to shut down (SIGTERM, so it saves its data), then kills it if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!IsAlive()) return;
        _ = SendSignal(ProcessId, SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (IsAlive() && DateTime.UtcNow < deadline) await Task.Delay(50);
        Kill();
    }

    /// <summary>Kills the process at once (SIGKILL).</summary>
    public void Kill()
    {
        if (!IsAlive()) return;
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Exited on its own in between.
        }
    }

    private static bool IsPortFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string Tail(string log) =>
        File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(no output)";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
