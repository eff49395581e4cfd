using Qlip.ML.Checkpoints;
using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Tests.Support;
using Qlip.Testing.Golden;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Models;

/// <summary>
/// A full tiny QLIP forward against NVlabs/QLIP (golden README §4): the reference config.json and state dict load
/// under their own names, and every output matches within the README's tolerances (ids exactly).
/// </summary>
public class QlipGoldenTests
{
    private const double HiddenAtol = 2e-5, HiddenRtol = 1e-5;

    [GoldenTheory]
    [InlineData("qlip_tiny")]
    [InlineData("qlip_tiny_alt")]
    public void Forward_matches_the_reference(string name)
    {
        using var scope = NewDisposeScope();
        using var model = LoadReference(name, out var report);
        using var io = GoldenTensors.Open(name + "/io");
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.NotEmpty(report.Recomputed);
        using var noGrad = inference_mode();

        var output = model.call(io["input_ids"], io["pixel_values"], io["attention_mask"]);

        var vision = output.Vision;
        Hidden(io, "vision.embeddings", vision.HiddenStates[0]);
        Hidden(io, "vision.encoder.layer0_out", vision.HiddenStates[1]);
        Hidden(io, "vision.encoder_out", vision.HiddenStates[^1]);
        Hidden(io, "vision.pooled", vision.Pooled);
        Hidden(io, "vision.quantizer_in", vision.QuantizerInput);
        TensorAssert.Equal(io["indices"], vision.Quantizer.Indices, "indices");
        TensorAssert.Equal(io["group_indices"], vision.Quantizer.GroupIndices, "group_indices");
        TensorAssert.Close(io["zq"], vision.Quantizer.Quantized, 1e-7, name: "zq");
        TensorAssert.Close(io["quantizer_cb_entropy"], vision.Quantizer.CodebookEntropy, 1e-5, name: "quantizer_cb_entropy");
        TensorAssert.Close(io["quantizer_persample_entropy"], vision.Quantizer.PerSampleEntropy, 1e-5, name: "quantizer_persample_entropy");
        TensorAssert.Close(io["quantizer_loss"], vision.Quantizer.Loss, 1e-5, name: "quantizer_loss");
        Hidden(io, "vision.last_hidden_state", vision.DecoderInput);
        Hidden(io, "text.last_hidden_state", output.Text.LastHiddenState);
        Hidden(io, "text.pooled", output.Text.Pooled);
        Hidden(io, "image_features", output.ImageFeatures);
        Hidden(io, "text_features", output.TextFeatures);
        TensorAssert.Close(io["image_embeds"], output.ImageEmbeds, 1e-6, name: "image_embeds");
        TensorAssert.Close(io["text_embeds"], output.TextEmbeds, 1e-6, name: "text_embeds");
        TensorAssert.Close(io["logits_per_image"], output.LogitsPerImage, 2e-5, name: "logits_per_image");
        TensorAssert.Close(io["logits_per_text"], output.LogitsPerText, 2e-5, name: "logits_per_text");
        TensorAssert.Close(io["clip_loss"], ContrastiveLoss.Compute(output.LogitsPerImage), 1e-5, name: "clip_loss");
        TensorAssert.Close(io["reconstructions"], output.Reconstructions, 5e-6, name: "reconstructions");
    }

    [GoldenTheory]
    [InlineData("qlip_tiny")]
    [InlineData("qlip_tiny_alt")]
    public void Ids_alone_decode_to_the_reference_reconstruction(string name)
    {
        using var scope = NewDisposeScope();
        using var model = LoadReference(name, out _);
        using var io = GoldenTensors.Open(name + "/io");
        using var noGrad = inference_mode();

        var ids = model.Tokenize(io["pixel_values"]);

        TensorAssert.Equal(io["indices"], ids, "indices");
        TensorAssert.Close(io["codebook_entry_from_indices"], model.VisionModel.Quantizer.CodebookEntry(ids), 1e-7,
            name: "codebook_entry_from_indices");
        TensorAssert.Close(io["reconstructions_from_indices"], model.DecodeIds(ids), 5e-6, name: "reconstructions_from_indices");
    }

    [GoldenFact]
    public void Text_without_a_padding_mask_pools_the_same_first_eos()
    {
        using var scope = NewDisposeScope();
        using var model = LoadReference("qlip_tiny", out _);
        using var io = GoldenTensors.Open("qlip_tiny/io");
        using var noGrad = inference_mode();

        var text = model.TextModel.call(io["input_ids"], null);

        Hidden(io, "text.last_hidden_state_nomask", text.LastHiddenState);
        Hidden(io, "text.pooled_nomask", text.Pooled);
    }

    [GoldenTheory]
    [InlineData("qlip_tiny")]
    [InlineData("qlip_tiny_alt")]
    public void State_dict_names_and_shapes_are_the_reference_ones_without_rope_copies(string name)
    {
        using var reference = SafetensorsReader.Read(GoldenData.PathOf(name + "/weights.safetensors"));
        using var model = new QlipModel(QlipConfig.Load(GoldenData.PathOf(name + "/config.json")));
        static string Line(string key, Tensor t) => $"{key} [{string.Join(", ", t.shape)}]";

        var expected = reference.Tensors.Where(kv => !kv.Key.Contains(".rope.freqs_")).Select(kv => Line(kv.Key, kv.Value))
            .Order(StringComparer.Ordinal);
        var actual = model.state_dict().Select(kv => Line(kv.Key, kv.Value)).Order(StringComparer.Ordinal);

        Assert.Equal(expected, actual);
    }

    private static QlipModel LoadReference(string name, out LoadReport report)
    {
        var model = new QlipModel(QlipConfig.Load(GoldenData.PathOf(name + "/config.json")));
        report = QlipCheckpoint.LoadWeights(model, GoldenData.PathOf(name + "/weights.safetensors"));
        model.eval();
        return model;
    }

    private static void Hidden(Qlip.ML.Checkpoints.SafetensorsFile io, string name, Tensor actual) =>
        TensorAssert.Close(io[name], actual, HiddenAtol, HiddenRtol, name);
}
