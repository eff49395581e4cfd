using System.Diagnostics;
using static TorchSharp.torch;

namespace Qlip.Bench;

/// <summary>What the numbers were measured on: CPU model and counts from lscpu, libtorch threads, .NET version (BenchResults adds date and load).</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = Lscpu();
        string Field(string key) => cpu.GetValueOrDefault(key, "?");
        return $"Machine: {Field("Model name")}, {Field("Core(s) per socket")} cores/socket, {Field("Thread(s) per core")} thread(s)/core " +
            $"(lscpu); libtorch {__version__} with {get_num_threads()} intra-op threads by default; .NET {Environment.Version}.";
    }

    private static Dictionary<string, string> Lscpu()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("lscpu") { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
    }
}
