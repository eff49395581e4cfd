namespace Qlip.Shared.Dev;

/// <summary>Finds the Qlip checkout (for node_modules/azurite and .qlip/) from the working folder or the binaries' folder.</summary>
public static class RepositoryRoot
{
    /// <summary>Environment variable that names the checkout explicitly.</summary>
    public const string Variable = "QLIP_ROOT";

    /// <exception cref="DevStoreException">No folder upward holds Qlip.sln or an installed Azurite.</exception>
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } explicitRoot) return Path.GetFullPath(explicitRoot);
        var starts = new[] { Environment.CurrentDirectory, AppContext.BaseDirectory };
        foreach (var marker in (string[])[AzuriteProcess.ScriptRelativePath, "Qlip.sln"])
            foreach (var start in starts)
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, marker)))
                        return dir.FullName;
        throw new DevStoreException(
            $"cannot find the Qlip checkout (a folder with Qlip.sln) above {Environment.CurrentDirectory}: run qlip inside it or set {Variable}");
    }
}
