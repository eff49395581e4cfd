using Qlip.ML.Checkpoints;
using Qlip.ML.Configs;
using Qlip.ML.Imaging;
using Qlip.ML.Inference;
using Qlip.ML.Models;
using Qlip.ML.Tests.Support;
using Qlip.ML.Text;
using Qlip.Testing.Data;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Inference;

/// <summary>The user API on real Fashion-MNIST images with a seeded tiny model: ids, decode, batching, checkpoints, zero-shot.</summary>
public sealed class QlipPipelineTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("qlip-pipeline-").FullName;
    private readonly FashionBatch batch = FashionBatch.Take(7);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static QlipPipeline Tiny(int batchSize = 32)
    {
        manual_seed(1);
        var config = QlipPresets.Load("tiny");
        return new QlipPipeline(new QlipModel(config), ImagePreprocessConfig.Clip(config.Vision.ImageSize),
            new QlipPipelineOptions { BatchSize = batchSize, VocabularyPath = RealData.ClipBpeVocab });
    }

    [Fact]
    public void Encode_gives_a_grid_of_ids_and_decoding_them_equals_Reconstruct()
    {
        using var qlip = Tiny();
        using var scope = NewDisposeScope();
        var pixels = qlip.Preprocess(batch.Images);

        var tokens = qlip.Encode(pixels);
        var decoded = qlip.Decode(tokens.Ids);
        var reconstructed = qlip.Reconstruct(pixels);

        Assert.Equal([7L, 4, 4], tokens.Ids.shape);
        Assert.Equal(ScalarType.Int64, tokens.Ids.dtype);
        Assert.Equal(28, tokens.Bits);
        Assert.True(tokens.Ids.min().item<long>() >= 0 && tokens.Ids.max().item<long>() < 1L << 28);
        Assert.True(tokens.Ids.max().item<long>() >= 1L << 24, "28-bit ids should use the high bits a float32 packing would corrupt");
        Assert.Equal([7L, 3, 32, 32], decoded.shape);
        TensorAssert.Close(reconstructed, decoded, atol: 1e-5, name: "decode(encode(x)) vs reconstruct(x)");
        TensorAssert.Close(decoded, qlip.Decode(tokens.Ids.flatten(1)), atol: 0, name: "decode of (B, h·w) ids");
    }

    [Fact]
    public void Batching_does_not_change_any_output()
    {
        using var whole = Tiny(batchSize: 32);
        using var split = Tiny(batchSize: 3); // 3 + 3 + 1
        using var scope = NewDisposeScope();
        var pixels = whole.Preprocess(batch.Images);

        TensorAssert.Equal(whole.Encode(pixels).Ids, split.Encode(pixels).Ids, "ids");
        TensorAssert.Close(whole.ImageEmbeddings(pixels), split.ImageEmbeddings(pixels), atol: 1e-6, name: "image embeddings");
        TensorAssert.Close(whole.EncodeText(batch.Captions), split.EncodeText(batch.Captions), atol: 1e-6, name: "text embeddings");
    }

    [Fact]
    public void A_saved_checkpoint_loads_and_gives_identical_ids_and_embeddings()
    {
        using var qlip = Tiny();
        using var scope = NewDisposeScope();
        var pixels = qlip.Preprocess(batch.Images);
        qlip.Save(directory);

        using var loaded = QlipPipeline.Load(directory, new QlipPipelineOptions { VocabularyPath = RealData.ClipBpeVocab });

        Assert.Equal(qlip.Preprocessing.Size, loaded.Preprocessing.Size);
        Assert.Equal(qlip.Preprocessing.Mean, loaded.Preprocessing.Mean);
        Assert.Equal(qlip.Preprocessing.Std, loaded.Preprocessing.Std);
        TensorAssert.Equal(qlip.Encode(batch.Images).Ids, loaded.Encode(batch.Images).Ids, "ids after reload");
        TensorAssert.Close(qlip.ImageEmbeddings(pixels), loaded.ImageEmbeddings(pixels), atol: 0, name: "image embeddings after reload");
        TensorAssert.Close(qlip.EncodeText(batch.Captions), loaded.EncodeText(batch.Captions), atol: 0, name: "text embeddings after reload");
    }

    [Fact]
    public void Zero_shot_averages_template_embeddings_per_label()
    {
        using var qlip = Tiny();
        using var scope = NewDisposeScope();
        var pixels = qlip.Preprocess(batch.Images);
        var labels = MnistDatasetClasses();
        string[] templates = ["a photo of a {}.", "a black and white photo of a {}."];

        var probabilities = qlip.ZeroShotProbabilities(pixels, labels, templates);

        // Independent computation: embed every prompt, average per label in class-major order, renormalize.
        var prompts = labels.SelectMany(l => templates.Select(t => PromptTemplates.Fill(t, l))).ToList();
        var text = qlip.EncodeText(prompts).view(labels.Count, templates.Length, -1);
        var classes = nn.functional.normalize(text.mean([1]), dim: -1);
        var scale = Math.Min(Math.Exp(qlip.Model.LogitScale.item<float>()), 100);
        var expected = nn.functional.softmax(qlip.ImageEmbeddings(pixels).matmul(classes.t()) * scale, -1);
        TensorAssert.Close(expected, probabilities, atol: 1e-6, name: "zero-shot probabilities");

        var top = qlip.ZeroShot(batch.Images, labels, templates, topK: 3);
        Assert.Equal(7, top.Count);
        for (var b = 0; b < top.Count; b++)
        {
            Assert.Equal(3, top[b].Count);
            Assert.Equal(probabilities[b].argmax().item<long>(), top[b][0].Index);
            Assert.Equal(labels[top[b][0].Index], top[b][0].Label);
            Assert.True(top[b][0].Probability >= top[b][1].Probability && top[b][1].Probability >= top[b][2].Probability);
        }
    }

    [Fact]
    public void Second_last_layer_features_are_the_patch_tokens_of_block_depth_minus_2()
    {
        using var qlip = Tiny();
        using var scope = NewDisposeScope();
        var pixels = qlip.Preprocess(batch.Images);

        var features = qlip.SecondLastLayerFeatures(pixels);

        using var mode = inference_mode();
        var hidden = qlip.Model.VisionModel.HiddenStates(pixels); // embeddings, block 0, block 1 (tiny has 2 blocks)
        Assert.Equal(3, hidden.Count);
        TensorAssert.Close(hidden[1].narrow(1, 1, 16), features, atol: 0, name: "block 0 patch tokens");
        Assert.Equal([7L, 16, 64], features.shape);
    }

    [Fact]
    public void Reference_style_preprocessor_config_is_read_and_a_wrong_size_is_named()
    {
        using var qlip = Tiny();
        QlipCheckpoint.Save(qlip.Model, directory); // config.json without preprocess_cfg
        var hf = Path.Combine(directory, CheckpointPreprocessing.HuggingFaceFile);
        File.WriteAllText(hf, """{"crop_size": {"height": 32, "width": 32}, "size": {"shortest_edge": 32}, "resample": 3, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.25, 0.25]}""");

        var read = CheckpointPreprocessing.Read(directory, qlip.Model.Config);

        Assert.Equal(32, read.Size);
        Assert.Equal([0.5f, 0.5f, 0.5f], read.Mean);
        Assert.Equal([0.25f, 0.25f, 0.25f], read.Std);
        File.WriteAllText(hf, """{"crop_size": 224, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.25, 0.25]}""");
        var error = Assert.Throws<InvalidDataException>(() => CheckpointPreprocessing.Read(directory, qlip.Model.Config));
        Assert.Contains(hf, error.Message);
        Assert.Contains("224", error.Message);
    }

    [Fact]
    public void Load_names_what_is_missing()
    {
        var missingDirectory = Assert.Throws<FileNotFoundException>(() => QlipPipeline.Load(Path.Combine(directory, "nope")));
        Assert.Contains("nope", missingDirectory.Message);
        File.WriteAllText(Path.Combine(directory, QlipCheckpoint.ConfigFile), QlipPresets.Load("tiny").ToJson());
        var missingWeights = Assert.Throws<FileNotFoundException>(() => QlipPipeline.Load(directory));
        Assert.Contains(QlipCheckpoint.WeightsFile, missingWeights.Message);
    }

    [Fact]
    public void Bad_devices_and_grids_are_clear_errors()
    {
        var unknown = Assert.Throws<ArgumentException>(() => new QlipPipelineOptions { Device = "abacus" }.ResolveDevice());
        Assert.Contains("abacus", unknown.Message);
        if (!cuda.is_available())
            Assert.Contains("CUDA is not available", Assert.Throws<ArgumentException>(() => new QlipPipelineOptions { Device = "cuda" }.ResolveDevice()).Message);
        using var qlip = Tiny();
        using var wrongGrid = zeros([2, 3, 5], ScalarType.Int64);
        Assert.Contains("4×4", Assert.Throws<ArgumentException>(() => qlip.Decode(wrongGrid)).Message);
        using var tooLarge = full([1, 4, 4], 1L << 28, ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => qlip.Decode(tooLarge));
    }

    private static IReadOnlyList<string> MnistDatasetClasses() => Qlip.Data.Sets.MnistDataset.FashionClassNames;
}
