using Qlip.Data.Images;
using Qlip.ML.Inference;
using Qlip.Shared.Checkpoints;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// A loaded checkpoint as a <see cref="QlipPipeline"/> (the encode path <c>qlip tokenize</c> uses too, with the
/// checkpoint's own preprocessing): images → BSQ ids. Encodes are serialized (one model per process, shared by every
/// concurrent message).
/// </summary>
public sealed class CheckpointTokenizer : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Loads the checkpoint folder <paramref name="directory"/> with <see cref="QlipPipeline.Load"/>.</summary>
    public CheckpointTokenizer(string id, string directory, QlipPipelineOptions options)
    {
        Id = id;
        Pipeline = QlipPipeline.Load(directory, options);
    }

    /// <summary>The checkpoint id (see <see cref="CheckpointId"/>).</summary>
    public string Id { get; }

    /// <summary>The pipeline the ids come from (e.g. to decode them back to pixels).</summary>
    public QlipPipeline Pipeline { get; }

    /// <summary>Bits per token id.</summary>
    public int Bits => Pipeline.Bits;

    /// <summary>Token grid side (rows = columns).</summary>
    public int GridSize => Pipeline.Model.Config.Vision.GridSize;

    /// <summary>Per image, its <see cref="GridSize"/>² ids (row-major) as int32.</summary>
    public async Task<int[][]> TokenizeAsync(IReadOnlyList<RgbImage> images, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var tokens = Pipeline.Encode(images);
            using var ids = tokens.Ids;
            using var flat = ids.to_type(TorchSharp.torch.ScalarType.Int32).reshape(images.Count, -1); // (B, h·w)
            var values = flat.data<int>().ToArray();
            var n = tokens.GridHeight * tokens.GridWidth;
            return [.. Enumerable.Range(0, images.Count).Select(b => values.AsSpan(b * n, n).ToArray())];
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        Pipeline.Dispose();
        _gate.Dispose();
    }
}
