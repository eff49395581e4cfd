using Qlip.ML.Checkpoints;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Runs;

namespace Qlip.ML.Training.Stage2;

/// <summary>
/// Finds the stage-1 weights a stage-2 run names: <c>init_run</c> through the host's store of other runs (the newest
/// complete checkpoint), or a local <c>init_checkpoint</c> path. A missing or incomplete checkpoint is an error naming it.
/// </summary>
public static class InitCheckpointResolver
{
    /// <summary>Resolves <paramref name="config"/>'s init checkpoint in <paramref name="environment"/>.</summary>
    /// <exception cref="FileNotFoundException">The checkpoint, its commit marker or its weights file is missing.</exception>
    public static async Task<InitWeights> ResolveAsync(QlipStage2Config config, RunEnvironment environment, CancellationToken ct)
    {
        if (config.InitRun is { } run)
        {
            var runs = environment.RunCheckpoints
                       ?? throw new ArgumentException($"init_run '{run}': this host cannot read other runs' checkpoints; use init_checkpoint=<path>");
            return await LatestAsync(runs(run), $"run '{run}'", ct);
        }
        var path = Path.GetFullPath(config.InitCheckpoint ?? throw new ArgumentException("no init checkpoint configured"));
        if (File.Exists(path)) return new InitWeights(path, () => SafetensorsReader.Read(path));
        if (!Directory.Exists(path)) throw new FileNotFoundException($"init_checkpoint '{path}' does not exist", path);
        if (Path.GetFileName(path).StartsWith("step-", StringComparison.Ordinal))
        {
            if (!File.Exists(Path.Combine(path, LocalFolderCheckpointStore.CommitMarker)))
                throw new FileNotFoundException($"init_checkpoint '{path}' is incomplete (no {LocalFolderCheckpointStore.CommitMarker})", path);
            return WeightsFile(Path.Combine(path, TrainingCheckpoint.ModelFile));
        }
        if (File.Exists(Path.Combine(path, QlipCheckpoint.WeightsFile))) return WeightsFile(Path.Combine(path, QlipCheckpoint.WeightsFile));
        var folder = Directory.Exists(Path.Combine(path, "checkpoints")) ? Path.Combine(path, "checkpoints") : path;
        return await LatestAsync(new LocalFolderCheckpointStore(folder), $"init_checkpoint '{folder}'", ct);
    }

    private static InitWeights WeightsFile(string path) =>
        File.Exists(path)
            ? new InitWeights(path, () => SafetensorsReader.Read(path))
            : throw new FileNotFoundException($"init_checkpoint has no weights file '{path}'", path);

    private static async Task<InitWeights> LatestAsync(ICheckpointStore store, string name, CancellationToken ct)
    {
        var step = await store.LatestAsync(ct)
                   ?? throw new FileNotFoundException($"{name} has no complete checkpoint (a step folder with {LocalFolderCheckpointStore.CommitMarker})");
        return new InitWeights($"{name}, checkpoint step {step}",
            () => TrainingCheckpoint.ReadAsync(store, step, TrainingCheckpoint.ModelFile, CancellationToken.None).GetAwaiter().GetResult());
    }
}
