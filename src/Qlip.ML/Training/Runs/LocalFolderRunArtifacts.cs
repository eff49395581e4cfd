namespace Qlip.ML.Training.Runs;

/// <summary>Run files under a local folder (the <c>--out</c> of <c>qlip train run</c>).</summary>
public sealed class LocalFolderRunArtifacts(string root) : IRunArtifacts
{
    /// <inheritdoc />
    public async Task WriteAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Path.Combine(root, name));
        if (!path.StartsWith(Path.GetFullPath(root), StringComparison.Ordinal)) throw new ArgumentException($"artifact name '{name}' leaves {root}", nameof(name));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
