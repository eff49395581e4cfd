using System.Text.Json;
using static TorchSharp.torch;

namespace Qlip.ML.Checkpoints;

/// <summary>
/// Writes the safetensors format: tensors stored contiguously in sorted-name (ordinal) order, the JSON header
/// padded with spaces to a multiple of 8, rank-0 tensors as <c>shape: []</c>, optional <c>__metadata__</c>.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = File.Create(temp))
        {
            Write(stream, tensors, metadata);
        }
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors: big-endian host");
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        var header = BuildHeader(names, tensors, metadata);
        stream.Write(BitConverter.GetBytes((long)header.Length));
        stream.Write(header);
        foreach (var name in names)
        {
            using var cpu = tensors[name].detach().cpu().contiguous();
            if (cpu.numel() > 0) stream.Write(cpu.bytes);
        }
    }

    private static byte[] BuildHeader(string[] names, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var t = tensors[name];
                var size = t.numel() * SafetensorsDType.SizeOf(t.dtype);
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDType.NameOf(t.dtype));
                json.WriteStartArray("shape");
                foreach (var d in t.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        var length = (int)buffer.Length;
        var padded = new byte[(length + 7) / 8 * 8];
        Array.Fill(padded, (byte)' ');
        buffer.GetBuffer().AsSpan(0, length).CopyTo(padded);
        return padded;
    }
}
