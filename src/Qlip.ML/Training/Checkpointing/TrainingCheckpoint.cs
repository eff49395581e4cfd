using System.Text.Json;
using Qlip.ML.Checkpoints;
using Qlip.ML.Models;
using Qlip.ML.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Checkpointing;

/// <summary>
/// What a resumable checkpoint holds and how it maps to store files: the model's state dict (<c>model.safetensors</c>, with
/// the model's own names, so a stage-1 checkpoint is also a weights file), the optimizer's state (<c>optimizer.safetensors</c>,
/// plus <c>optimizer.{name}.safetensors</c> per auxiliary optimizer) and the <see cref="TrainState"/> (<c>train_state.json</c>);
/// a <see cref="QlipModel"/> also gets its <c>config.json</c>, so the folder is a loadable QLIP checkpoint.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>File holding the model's state dict.</summary>
    public const string ModelFile = "model.safetensors";

    /// <summary>File holding the optimizer's moments and step counts.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>File holding the loop position, RNG and data cursor.</summary>
    public const string StateFile = "train_state.json";

    /// <summary>Writes a complete checkpoint for <paramref name="state"/>.Step (the marker last, by the store's contract).</summary>
    public static Task SaveAsync(ICheckpointStore store, nn.Module model, GroupedOptimizer optimizer,
        IReadOnlyDictionary<string, GroupedOptimizer>? auxiliary, TrainState state, CancellationToken ct)
    {
        var files = new List<CheckpointFile> { new(ModelFile, (s, _) => WriteTensors(s, model.state_dict())) };
        // With its config.json a QLIP checkpoint folder loads as a model by itself (QlipPipeline.Load, tokenize, captioning).
        if (model is QlipModel qlip)
            files.Add(new CheckpointFile(QlipCheckpoint.ConfigFile, (s, token) => s.WriteAsync(System.Text.Encoding.UTF8.GetBytes(qlip.Config.ToJson()), token).AsTask()));
        foreach (var (file, opt) in OptimizerFiles(optimizer, auxiliary))
            files.Add(new CheckpointFile(file, (s, _) =>
            {
                var dict = opt.StateDict();
                try { return WriteTensors(s, dict); }
                finally { foreach (var t in dict.Values) t.Dispose(); }
            }));
        files.Add(new CheckpointFile(StateFile, (s, token) => JsonSerializer.SerializeAsync(s, state, cancellationToken: token)));
        return store.WriteAsync(state.Step, files, ct);
    }

    /// <summary>Loads the checkpoint of <paramref name="step"/> into the model and optimizers and returns its <see cref="TrainState"/>.</summary>
    public static async Task<TrainState> LoadAsync(ICheckpointStore store, long step, nn.Module model, GroupedOptimizer optimizer,
        IReadOnlyDictionary<string, GroupedOptimizer>? auxiliary, CancellationToken ct)
    {
        using (var weights = await ReadAsync(store, step, ModelFile, ct)) QlipCheckpoint.LoadWeights(model, weights, strict: true);
        foreach (var (file, opt) in OptimizerFiles(optimizer, auxiliary))
        {
            using var moments = await ReadAsync(store, step, file, ct);
            opt.LoadStateDict(moments.Tensors);
        }
        return await LoadStateAsync(store, step, ct);
    }

    /// <summary>The <see cref="TrainState"/> of the checkpoint of <paramref name="step"/> alone (no tensors loaded).</summary>
    public static async Task<TrainState> LoadStateAsync(ICheckpointStore store, long step, CancellationToken ct)
    {
        await using var stateStream = await store.OpenReadAsync(step, StateFile, ct);
        return await JsonSerializer.DeserializeAsync<TrainState>(stateStream, cancellationToken: ct)
               ?? throw new InvalidDataException($"Checkpoint step {step}: {StateFile} is empty.");
    }

    /// <summary>Reads one tensor file of a checkpoint (e.g. <see cref="ModelFile"/> to start stage 2 from stage 1); disposing it frees the tensors.</summary>
    public static async Task<SafetensorsFile> ReadAsync(ICheckpointStore store, long step, string name, CancellationToken ct)
    {
        await using var s = await store.OpenReadAsync(step, name, ct);
        return SafetensorsReader.Read(s, $"checkpoint step {step}/{name}");
    }

    private static IEnumerable<(string File, GroupedOptimizer Optimizer)> OptimizerFiles(
        GroupedOptimizer optimizer, IReadOnlyDictionary<string, GroupedOptimizer>? auxiliary)
    {
        yield return (OptimizerFile, optimizer);
        foreach (var (name, opt) in auxiliary ?? new Dictionary<string, GroupedOptimizer>())
        {
            if (name.Length == 0 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-')))
                throw new ArgumentException($"Auxiliary optimizer name '{name}' must be non-empty letters, digits, '_' or '-'.", nameof(auxiliary));
            yield return ($"optimizer.{name}.safetensors", opt);
        }
    }

    private static Task WriteTensors(Stream stream, IReadOnlyDictionary<string, Tensor> tensors)
    {
        SafetensorsWriter.Write(stream, tensors);
        return Task.CompletedTask;
    }
}
