using System.Text.Json;
using Qlip.ML.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Checkpointing;

/// <summary>
/// What a resumable checkpoint holds and how it maps to store files: the model's state dict (<c>model.bin</c>), the
/// optimizer's state (<c>optimizer.bin</c>) and the <see cref="TrainState"/> (<c>train_state.json</c>).
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>File holding the model's state dict.</summary>
    public const string ModelFile = "model.bin";

    /// <summary>File holding the optimizer's moments and step counts.</summary>
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>File holding the loop position, RNG and data cursor.</summary>
    public const string StateFile = "train_state.json";

    /// <summary>Writes a complete checkpoint for <paramref name="state"/>.Step (the marker last, by the store's contract).</summary>
    public static Task SaveAsync(ICheckpointStore store, nn.Module model, GroupedOptimizer optimizer, TrainState state, CancellationToken ct)
    {
        var files = new[]
        {
            new CheckpointFile(ModelFile, (s, _) => WriteTensors(s, model.state_dict())),
            new CheckpointFile(OptimizerFile, (s, _) =>
            {
                var dict = optimizer.StateDict();
                try { return WriteTensors(s, dict); }
                finally { foreach (var t in dict.Values) t.Dispose(); }
            }),
            new CheckpointFile(StateFile, (s, token) => JsonSerializer.SerializeAsync(s, state, cancellationToken: token)),
        };
        return store.WriteAsync(state.Step, files, ct);
    }

    /// <summary>Loads the checkpoint of <paramref name="step"/> into the model and optimizer and returns its <see cref="TrainState"/>.</summary>
    public static async Task<TrainState> LoadAsync(ICheckpointStore store, long step, nn.Module model, GroupedOptimizer optimizer, CancellationToken ct)
    {
        var weights = await ReadModelStateAsync(store, step, ct);
        try { CopyInto(model, weights); }
        finally { foreach (var t in weights.Values) t.Dispose(); }

        Dictionary<string, Tensor> moments;
        await using (var s = await store.OpenReadAsync(step, OptimizerFile, ct)) moments = TensorDictionaryFile.Read(s);
        try { optimizer.LoadStateDict(moments); }
        finally { foreach (var t in moments.Values) t.Dispose(); }

        await using var stateStream = await store.OpenReadAsync(step, StateFile, ct);
        return await JsonSerializer.DeserializeAsync<TrainState>(stateStream, cancellationToken: ct)
               ?? throw new InvalidDataException($"Checkpoint step {step}: {StateFile} is empty.");
    }

    /// <summary>The model tensors of a checkpoint by state-dict name (e.g. to start stage 2 from stage 1); the caller owns them.</summary>
    public static async Task<Dictionary<string, Tensor>> ReadModelStateAsync(ICheckpointStore store, long step, CancellationToken ct)
    {
        await using var s = await store.OpenReadAsync(step, ModelFile, ct);
        return TensorDictionaryFile.Read(s);
    }

    /// <summary>Copies tensors into the model's state dict; a missing, unexpected or mis-shaped tensor is an error naming it.</summary>
    public static void CopyInto(nn.Module model, IReadOnlyDictionary<string, Tensor> weights)
    {
        var target = model.state_dict();
        var missing = target.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var unexpected = weights.Keys.Where(k => !target.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"Checkpoint does not match the model. Missing: [{string.Join(", ", missing)}]; unexpected: [{string.Join(", ", unexpected)}].");
        using var noGrad = no_grad();
        foreach (var (name, dest) in target)
        {
            var src = weights[name];
            if (!src.shape.SequenceEqual(dest.shape) || src.dtype != dest.dtype)
                throw new InvalidDataException($"Tensor '{name}': checkpoint {src.dtype}[{string.Join(", ", src.shape)}], model {dest.dtype}[{string.Join(", ", dest.shape)}].");
            dest.copy_(src);
        }
    }

    private static Task WriteTensors(Stream stream, IReadOnlyDictionary<string, Tensor> tensors)
    {
        TensorDictionaryFile.Write(stream, tensors);
        return Task.CompletedTask;
    }
}
