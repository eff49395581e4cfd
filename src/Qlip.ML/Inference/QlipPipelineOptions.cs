using Qlip.Data.Sets;
using TorchSharp;

namespace Qlip.ML.Inference;

/// <summary>How a <see cref="QlipPipeline"/> runs: where, in what batch size, and where the CLIP vocabulary is.</summary>
public sealed record QlipPipelineOptions
{
    /// <summary>Torch device name: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Images or captions per forward pass; larger inputs are split into batches of this size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The CLIP BPE vocabulary file (only text methods need it); null = the packaged one under the data cache.</summary>
    public string? VocabularyPath { get; init; }

    /// <summary>The torch device for <see cref="Device"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a device, or CUDA was asked for and is not available.</exception>
    public torch.Device ResolveDevice()
    {
        if (BatchSize < 1) throw new ArgumentException($"batch size must be ≥ 1, got {BatchSize}", nameof(BatchSize));
        // Checked before parsing: a CPU-only libtorch rejects the name "cuda" itself with a vaguer message.
        if (Device.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new ArgumentException($"device '{Device}' asked for, but CUDA is not available in this build; use cpu", nameof(Device));
        torch.Device resolved;
        try
        {
            resolved = torch.device(Device);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            throw new ArgumentException($"unknown device '{Device}'; use cpu, cuda or cuda:N", nameof(Device), e);
        }
        return resolved;
    }

    /// <summary>The vocabulary path to load: <see cref="VocabularyPath"/> or the packaged one.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataNotFoundException">No path was given and the data cache cannot be found.</exception>
    public string ResolveVocabularyPath()
    {
        var path = VocabularyPath ?? DataPaths.Resolve().ClipBpeVocab;
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"CLIP BPE vocabulary not found at {path} (run scripts/setup.sh, or pass its path)", path);
    }
}
