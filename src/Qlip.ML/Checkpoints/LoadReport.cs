namespace Qlip.ML.Checkpoints;

/// <summary>How a weights file matched a model's state dict.</summary>
/// <param name="Loaded">Names copied into the model.</param>
/// <param name="Missing">Model tensors the file lacks (left as they were).</param>
/// <param name="Unexpected">File tensors the model does not have (ignored).</param>
/// <param name="Recomputed">Derived buffers in the file (RoPE tables) that the model recomputes instead of loading.</param>
public sealed record LoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected, IReadOnlyList<string> Recomputed);
