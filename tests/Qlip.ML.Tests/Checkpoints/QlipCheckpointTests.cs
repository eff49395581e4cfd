using Qlip.ML.Checkpoints;
using Qlip.ML.Configs;
using Qlip.ML.Models;
using Qlip.ML.Tests.Models;
using Qlip.ML.Tests.Support;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Checkpoints;

public sealed class QlipCheckpointTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"qlip-ckpt-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Save_then_load_gives_identical_outputs()
    {
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny") with { LogitScaleInitValue = 3.1 };
        using var model = new QlipModel(config);
        model.eval();
        var (ids, pixels, mask) = QlipModelTests.Batch(config, 2, 5);

        QlipCheckpoint.Save(model, directory);
        using var loaded = QlipCheckpoint.Load(directory);
        loaded.eval();

        Assert.Equal(config, loaded.Config);
        using var noGrad = inference_mode();
        var expected = model.call(ids, pixels, mask);
        var actual = loaded.call(ids, pixels, mask);
        TensorAssert.Close(expected.Reconstructions, actual.Reconstructions, 0, name: "reconstructions");
        TensorAssert.Close(expected.LogitsPerImage, actual.LogitsPerImage, 0, name: "logits");
        TensorAssert.Equal(expected.Vision.Quantizer.Indices, actual.Vision.Quantizer.Indices, "ids");
    }

    [Fact]
    public void A_file_with_reference_names_and_rope_copies_loads_and_recomputes_the_tables()
    {
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny");
        using var source = new QlipModel(config);
        var tensors = new Dictionary<string, Tensor>(source.state_dict());
        var rope = ones(16, 16) * 7; // stored values are ignored: the tables are derived from the config
        foreach (var prefix in new[] { "vision_model.", "vision_model.encoder.layers.0.self_attn.", "vision_decoder." })
        {
            tensors[prefix + "rope.freqs_cos"] = rope;
            tensors[prefix + "rope.freqs_sin"] = rope;
        }
        var path = Path.Combine(directory, "reference.safetensors");
        SafetensorsWriter.Write(path, tensors);

        using var target = new QlipModel(config);
        var report = QlipCheckpoint.LoadWeights(target, path);

        Assert.Equal(6, report.Recomputed.Count);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Equal(source.state_dict().Count, report.Loaded.Count);
        foreach (var (name, t) in source.state_dict()) TensorAssert.Close(t, target.state_dict()[name], 0, name: name);
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        using var scope = NewDisposeScope();
        using var model = new QlipModel(QlipPresets.Load("tiny"));
        var tensors = new Dictionary<string, Tensor>(model.state_dict()) { ["visual_projection.weight"] = zeros(16, 64) };
        var path = Path.Combine(directory, "bad.safetensors");
        SafetensorsWriter.Write(path, tensors);

        var e = Assert.Throws<InvalidDataException>(() => QlipCheckpoint.LoadWeights(model, path));

        Assert.Contains("'visual_projection.weight'", e.Message);
        Assert.Contains("[16, 64] in the file but [32, 64] in the model", e.Message);
        Assert.Contains("bad.safetensors", e.Message);
    }

    [Fact]
    public void Missing_and_unexpected_tensors_are_listed()
    {
        using var scope = NewDisposeScope();
        using var model = new QlipModel(QlipPresets.Load("tiny"));
        var before = model.state_dict()["logit_scale"].item<float>();
        var tensors = new Dictionary<string, Tensor>(model.state_dict());
        tensors.Remove("text_projection.weight");
        tensors["vision_model.extra_head.weight"] = zeros(2);
        tensors["logit_scale"] = tensor(4.5f);
        var path = Path.Combine(directory, "partial.safetensors");
        SafetensorsWriter.Write(path, tensors);

        var e = Assert.Throws<InvalidDataException>(() => QlipCheckpoint.LoadWeights(model, path));
        Assert.Contains("missing [text_projection.weight]", e.Message);
        Assert.Contains("unexpected [vision_model.extra_head.weight]", e.Message);
        Assert.Equal(before, model.LogitScale.item<float>()); // a strict failure changes nothing

        var report = QlipCheckpoint.LoadWeights(model, path, strict: false);
        Assert.Equal(["text_projection.weight"], report.Missing);
        Assert.Equal(["vision_model.extra_head.weight"], report.Unexpected);
        Assert.Equal(4.5f, model.LogitScale.item<float>());
    }

    [Fact]
    public void Bf16_weights_load_into_an_fp32_model()
    {
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny");
        using var source = new QlipModel(config);
        var half = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to_type(ScalarType.BFloat16));
        var path = Path.Combine(directory, "bf16.safetensors");
        SafetensorsWriter.Write(path, half);

        using var target = new QlipModel(config);
        QlipCheckpoint.LoadWeights(target, path);

        var w = target.state_dict()["vision_model.quant_embed.c_fc.weight"];
        Assert.Equal(ScalarType.Float32, w.dtype);
        TensorAssert.Close(half["vision_model.quant_embed.c_fc.weight"].to_type(ScalarType.Float32), w, 0, name: "bf16 weight");
    }
}
