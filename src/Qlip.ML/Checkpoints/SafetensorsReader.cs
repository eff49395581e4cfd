using System.Text.Json;
using static TorchSharp.torch;

namespace Qlip.ML.Checkpoints;

/// <summary>
/// Reads the safetensors format (huggingface/safetensors): a little-endian u64 header length N, N bytes of JSON
/// <c>{name: {dtype, shape, data_offsets}}</c> plus an optional <c>__metadata__</c> string map, then the raw
/// little-endian data; offsets are relative to the end of the header.
/// </summary>
public static class SafetensorsReader
{
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>Reads every tensor of the file at <paramref name="path"/> onto the CPU.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the file and the tensor.</exception>
    public static SafetensorsFile Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads every tensor from a seekable <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static SafetensorsFile Read(Stream stream, string source)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors: big-endian host");
        var lengthBytes = new byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BitConverter.ToInt64(lengthBytes);
        var dataStart = 8 + headerLength;
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || dataStart > stream.Length)
            throw new InvalidDataException($"{source}: header length {headerLength} is invalid for a {stream.Length}-byte file");
        var header = new byte[headerLength];
        stream.ReadExactly(header);

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(header);
            foreach (var entry in json.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    foreach (var m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                tensors[entry.Name] = ReadTensor(stream, source, dataStart, entry.Name, entry.Value);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new InvalidDataException($"{source}: malformed safetensors header: {e.Message}", e);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return new SafetensorsFile(source, tensors, metadata);
    }

    private static Tensor ReadTensor(Stream stream, string source, long dataStart, string name, JsonElement info)
    {
        var dtypeName = info.GetProperty("dtype").GetString() ?? "";
        var dtype = SafetensorsDType.Parse(dtypeName)
            ?? throw new InvalidDataException($"{source}: tensor '{name}' has unsupported dtype '{dtypeName}'");
        var shape = info.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var offsets = info.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var numel = shape.Aggregate(1L, (a, b) => a * b);
        var expected = numel * SafetensorsDType.SizeOf(dtype);
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != expected
            || dataStart + offsets[1] > stream.Length)
            throw new InvalidDataException(
                $"{source}: tensor '{name}' ({dtypeName} [{string.Join(", ", shape)}], {expected} bytes) has data_offsets " +
                $"[{string.Join(", ", offsets)}] that do not fit a {stream.Length}-byte file");

        // torch.frombuffer would take one element per byte: fill an empty tensor's storage instead.
        var tensor = empty(shape, dtype);
        if (expected == 0) return tensor;
        stream.Seek(dataStart + offsets[0], SeekOrigin.Begin);
        stream.ReadExactly(tensor.bytes);
        return tensor;
    }
}
