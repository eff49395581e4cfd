using Qlip.Data.Images;
using Qlip.ML.Checkpoints;
using Qlip.ML.Imaging;
using Qlip.ML.Models;
using Qlip.Shared.Checkpoints;
using static TorchSharp.torch;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// A loaded checkpoint's encoder and quantizer: images → BSQ ids, batched under inference_mode, one dispose scope per
/// batch. Forwards are serialized (one model per process, shared by every concurrent message).
/// </summary>
public sealed class CheckpointTokenizer : IDisposable
{
    private readonly QlipModel _model;
    private readonly ImagePreprocessor _preprocessor;
    private readonly Device _device;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Loads <c>config.json</c> + <c>model.safetensors</c> from <paramref name="directory"/> (strict).</summary>
    public CheckpointTokenizer(string id, string directory, string device)
    {
        Id = id;
        _device = TorchSharp.torch.device(device);
        _model = QlipCheckpoint.Load(directory, _device);
        _model.eval();
        _preprocessor = new ImagePreprocessor(ImagePreprocessConfig.Clip(_model.Config.Vision.ImageSize));
    }

    /// <summary>The checkpoint id (see <see cref="CheckpointId"/>).</summary>
    public string Id { get; }

    /// <summary>Bits per token id.</summary>
    public int Bits => _model.Config.Vision.QuantizerCfg.EmbedDim;

    /// <summary>Token grid side (rows = columns).</summary>
    public int GridSize => _model.Config.Vision.GridSize;

    /// <summary>The model (eval mode), e.g. to decode ids back to pixels.</summary>
    public QlipModel Model => _model;

    /// <summary>The preprocessing the encoder reads.</summary>
    public ImagePreprocessor Preprocessor => _preprocessor;

    /// <summary>Per image, its <see cref="GridSize"/>² ids (row-major) as int32.</summary>
    public async Task<int[][]> TokenizeAsync(IReadOnlyList<RgbImage> images, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            using var scope = NewDisposeScope();
            using var mode = inference_mode();
            var pixels = _preprocessor.Preprocess(images).to(_device);          // (B, 3, S, S)
            var ids = _model.Tokenize(pixels).to_type(ScalarType.Int32).cpu(); // (B, N)
            var flat = ids.contiguous().data<int>().ToArray();
            var tokens = GridSize * GridSize;
            return [.. Enumerable.Range(0, images.Count).Select(b => flat.AsSpan(b * tokens, tokens).ToArray())];
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _model.Dispose();
        _gate.Dispose();
    }
}
