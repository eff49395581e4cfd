using static TorchSharp.torch;

namespace Qlip.ML.Checkpoints;

/// <summary>The tensors and string metadata of one safetensors file; disposing it disposes the tensors.</summary>
public sealed class SafetensorsFile(string source, IReadOnlyDictionary<string, Tensor> tensors,
    IReadOnlyDictionary<string, string> metadata) : IDisposable
{
    /// <summary>Where the tensors came from (a path or a stream description), used in error messages.</summary>
    public string Source { get; } = source;

    /// <summary>Tensors by name (CPU, contiguous, in the file's dtype).</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; } = tensors;

    /// <summary>The <c>__metadata__</c> map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Names the file and the missing tensor.</exception>
    public Tensor this[string name] => Tensors.TryGetValue(name, out var t)
        ? t
        : throw new KeyNotFoundException($"{Source}: no tensor named '{name}'");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
