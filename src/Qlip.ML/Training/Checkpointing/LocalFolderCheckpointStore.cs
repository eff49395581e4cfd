using System.Globalization;
using System.Text.Json;

namespace Qlip.ML.Training.Checkpointing;

/// <summary>
/// Checkpoints in a local folder: <c>{root}/step-00000100/{files}</c> plus <c>commit.json</c> (file names and sizes)
/// written last. Each file goes to a <c>.tmp</c> name, is flushed to disk and renamed, so a name that exists is whole.
/// After a commit, only the newest <c>keepLast</c> committed checkpoints are kept.
/// </summary>
public sealed class LocalFolderCheckpointStore : ICheckpointStore
{
    /// <summary>Name of the marker that makes a checkpoint complete.</summary>
    public const string CommitMarker = "commit.json";
    private const string Prefix = "step-";
    private readonly string root;
    private readonly int keepLast;

    /// <summary>Stores under <paramref name="root"/> (created if missing), keeping the newest <paramref name="keepLast"/>.</summary>
    public LocalFolderCheckpointStore(string root, int keepLast = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keepLast);
        this.root = Path.GetFullPath(root);
        this.keepLast = keepLast;
        Directory.CreateDirectory(this.root);
    }

    /// <inheritdoc />
    public Task<long?> LatestAsync(CancellationToken cancellationToken) =>
        Task.FromResult(CommittedSteps().Select(s => (long?)s).LastOrDefault());

    /// <inheritdoc />
    public async Task WriteAsync(long step, IReadOnlyList<CheckpointFile> files, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var dir = StepDirectory(step);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);  // an earlier incomplete or superseded attempt
        Directory.CreateDirectory(dir);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file.Name == CommitMarker || file.Name.Contains('/') || file.Name.Contains('\\'))
                throw new ArgumentException($"Invalid checkpoint file name '{file.Name}'.", nameof(files));
            sizes[file.Name] = await WriteDurablyAsync(Path.Combine(dir, file.Name), file.WriteTo, cancellationToken);
        }
        var marker = new Dictionary<string, object> { ["step"] = step, ["files"] = sizes };
        await WriteDurablyAsync(Path.Combine(dir, CommitMarker),
            (s, ct) => JsonSerializer.SerializeAsync(s, marker, cancellationToken: ct), CancellationToken.None);
        foreach (var old in CommittedSteps().SkipLast(keepLast)) Directory.Delete(StepDirectory(old), recursive: true);
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(long step, string name, CancellationToken cancellationToken)
    {
        var dir = StepDirectory(step);
        if (!File.Exists(Path.Combine(dir, CommitMarker)))
            throw new FileNotFoundException($"Checkpoint step {step} in '{root}' is missing or incomplete (no {CommitMarker}).");
        var path = Path.Combine(dir, name);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint step {step} has no file '{name}'.", path);
        return Task.FromResult<Stream>(File.OpenRead(path));
    }

    private IEnumerable<long> CommittedSteps() =>
        Directory.EnumerateDirectories(root, Prefix + "*")
            .Where(d => File.Exists(Path.Combine(d, CommitMarker)))
            .Select(d => long.TryParse(Path.GetFileName(d)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1)
            .Where(s => s >= 0)
            .Order()
            .ToList();

    private string StepDirectory(long step) => Path.Combine(root, Prefix + step.ToString("D8", CultureInfo.InvariantCulture));

    private static async Task<long> WriteDurablyAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var tmp = path + ".tmp";
        long size;
        await using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await write(stream, ct);
            await stream.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
            size = stream.Length;
        }
        File.Move(tmp, path, overwrite: true);
        return size;
    }
}
