using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Checkpointing;

/// <summary>
/// Named tensors in one stream: a magic, the count, then per entry the name and the tensor in TorchSharp's own
/// encoding (dtype, shape, raw bytes; a bit-exact round trip). Used for training state (weights and optimizer
/// moments) that only this code reads back; published weights use safetensors.
/// </summary>
public static class TensorDictionaryFile
{
    private const string Magic = "QLIP-TENSORS-1";

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="stream"/>, leaving it open.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(tensors.Count);
        foreach (var (name, value) in tensors)
        {
            writer.Write(name);
            using var cpu = value.detach().cpu().contiguous();
            cpu.Save(writer);
        }
    }

    /// <summary>Reads a stream written by <see cref="Write"/>; the caller owns the returned tensors.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var magic = reader.ReadString();
        if (magic != Magic) throw new InvalidDataException($"Not a tensor dictionary (magic '{magic}', expected '{Magic}').");
        var count = reader.ReadInt32();
        var tensors = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            tensors[name] = TensorExtensionMethods.Load(reader).DetachFromDisposeScope();
        }
        return tensors;
    }
}
