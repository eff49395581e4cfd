using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Qlip.ML.Checkpoints;
using Qlip.ML.Tests.Support;
using Qlip.Testing.Golden;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Checkpoints;

public class SafetensorsTests
{
    [Fact]
    public void Round_trips_every_dtype_rank_zero_scalars_and_metadata()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qlip-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            var tensors = new Dictionary<string, Tensor>
            {
                ["b.f32"] = tensor(new[] { 1.5f, -2.25f, 3e-8f, float.MaxValue, 0f, -0f }).reshape(2, 3),
                ["a.bf16"] = tensor(new[] { 1.5f, -2.25f, 100f }).to_type(ScalarType.BFloat16),
                ["c.f16"] = tensor(new[] { 0.5f, -65504f }).to_type(ScalarType.Float16),
                ["d.i64"] = tensor(new[] { (1L << 40) + 7, -1L, (1L << 28) - 1 }),
                ["e.scalar"] = tensor(2.9f),
                ["f.empty"] = zeros(0, 4),
            };
            SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["case"] = "round-trip" });

            using var file = SafetensorsReader.Read(path);
            Assert.Equal("round-trip", file.Metadata["case"]);
            Assert.Equal(tensors.Keys.Order(), file.Tensors.Keys.Order());
            foreach (var (name, expected) in tensors)
            {
                var actual = file[name];
                Assert.Equal(expected.dtype, actual.dtype);
                Assert.Equal(expected.shape, actual.shape);
                Assert.True(expected.bytes.SequenceEqual(actual.bytes), $"{name} differs after a round trip");
            }
            Assert.Empty(file["e.scalar"].shape);
            Assert.Equal(2.9f, file["e.scalar"].item<float>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Header_is_space_padded_and_data_follows_sorted_names()
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, new Dictionary<string, Tensor>
        {
            ["zeta"] = ones(3),
            ["alpha"] = zeros(5, dtype: ScalarType.Int64),
            ["mid"] = tensor(1f),
        });
        var bytes = stream.ToArray();
        var n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Equal(header.TrimEnd(' ').Length + header.Length - header.TrimEnd(' ').Length, header.Length);
        using var json = JsonDocument.Parse(header);
        long Begin(string k) => json.RootElement.GetProperty(k).GetProperty("data_offsets")[0].GetInt64();
        Assert.Equal(0, Begin("alpha"));
        Assert.Equal(40, Begin("mid"));
        Assert.Equal(44, Begin("zeta"));
        Assert.Equal(8 + n + 56, bytes.Length);
        Assert.Equal(0, json.RootElement.GetProperty("mid").GetProperty("shape").GetArrayLength());
    }

    [Fact]
    public void Truncated_file_is_rejected_naming_the_source_and_tensor()
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, new Dictionary<string, Tensor> { ["w"] = ones(16) });
        var truncated = new MemoryStream(stream.ToArray()[..^4]);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Read(truncated, "broken.safetensors"));
        Assert.Contains("broken.safetensors", e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [GoldenFact]
    public void Reads_the_reference_files_f32_i64_and_metadata()
    {
        using var file = GoldenTensors.Open("bsq_quantizer/L28_group_beta0p0_zeros");
        Assert.Equal(ScalarType.Float32, file["z"].dtype);
        Assert.Equal(new long[] { 2, 16, 28 }, file["z"].shape);
        Assert.Equal(ScalarType.Int64, file["indices"].dtype);
        Assert.Empty(file["loss"].shape);
        Assert.False(string.IsNullOrEmpty(file.Metadata.GetValueOrDefault("case")));
        // README §2.2: token (1,0) is all positive → 2^28 − 1; token (1,4) alternates → 0xAAAAAAA.
        Assert.Equal((1L << 28) - 1, file["indices"][1, 0].item<long>());
        Assert.Equal(0xAAAAAAAL, file["indices"][1, 4].item<long>());
        using var norms = file["z"][1].norm(dim: -1);
        TensorAssert.Close(ones(16), norms, 1e-6, name: "‖z‖");
    }

    [GoldenFact]
    public void Rewriting_a_reference_file_keeps_every_tensor_bit_identical()
    {
        using var original = SafetensorsReader.Read(GoldenData.PathOf("qlip_tiny/weights.safetensors"));
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, original.Tensors, original.Metadata);
        stream.Position = 0;
        using var copy = SafetensorsReader.Read(stream, "copy");
        Assert.Equal(original.Tensors.Count, copy.Tensors.Count);
        foreach (var (name, t) in original.Tensors)
        {
            Assert.True(t.bytes.SequenceEqual(copy[name].bytes), name);
        }
    }
}
