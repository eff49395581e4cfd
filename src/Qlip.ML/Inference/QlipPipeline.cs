using Qlip.ML.Nn;
// The user-facing QLIP tokenizer (issue 3 "User API"): images ↔ BSQ ids, reconstructions, image and text embeddings,
// zero-shot labels and the second-last-layer features a VLM reads (spec §1, §6). Every forward runs batched under
// inference_mode on the chosen device, one dispose scope per batch; results come back on the CPU.
using Qlip.Data.Images;
using Qlip.ML.Checkpoints;
using Qlip.ML.Evaluation;
using Qlip.ML.Imaging;
using Qlip.ML.Models;
using Qlip.ML.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Inference;

/// <summary>
/// A loaded QLIP checkpoint with its preprocessing and text tokenizer: <see cref="Encode(IReadOnlyList{RgbImage})"/>
/// images to ids, <see cref="Decode"/> ids to images, <see cref="EncodeText"/>, <see cref="ZeroShot"/>,
/// <see cref="Reconstruct(Tensor)"/>, <see cref="ImageEmbeddings"/> and <see cref="SecondLastLayerFeatures"/>.
/// Tensor inputs are preprocessed pixels (<see cref="Preprocess"/>), on any device; outputs are on the CPU.
/// </summary>
public sealed class QlipPipeline : IDisposable
{
    // open_clip clamps the learned scale at ln 100 during training; a checkpoint may hold a larger raw value.
    private const double MaxLogitScale = 100;

    private readonly Lazy<ClipBpeTokenizer> textTokenizer;
    private readonly ImagePreprocessor preprocessor;
    private readonly ImagePostprocessor postprocessor;
    private readonly int batchSize;

    /// <summary>Wraps <paramref name="model"/> (moved to the options' device and set to eval mode; the pipeline owns it).</summary>
    /// <exception cref="ArgumentException">Bad options, or <paramref name="preprocess"/> does not fit the model's image size.</exception>
    public QlipPipeline(QlipModel model, ImagePreprocessConfig preprocess, QlipPipelineOptions? options = null)
    {
        options ??= new QlipPipelineOptions();
        if (preprocess.Size != model.Config.Vision.ImageSize)
            throw new ArgumentException($"preprocessing size {preprocess.Size} differs from the model's image_size {model.Config.Vision.ImageSize}",
                nameof(preprocess));
        Device = options.ResolveDevice();
        batchSize = options.BatchSize;
        Model = model;
        Model.to(Device);
        Model.eval();
        preprocessor = new ImagePreprocessor(preprocess);
        postprocessor = new ImagePostprocessor(preprocess);
        textTokenizer = new Lazy<ClipBpeTokenizer>(() => ClipBpeTokenizer.Load(options.ResolveVocabularyPath()));
    }

    /// <summary>The model (eval mode, on <see cref="Device"/>).</summary>
    public QlipModel Model { get; }

    /// <summary>Where the forwards run.</summary>
    public Device Device { get; }

    /// <summary>Size, mean and std the images are preprocessed with (saved with the checkpoint).</summary>
    public ImagePreprocessConfig Preprocessing => preprocessor.Config;

    /// <summary>Bits per token id L.</summary>
    public int Bits => Model.Config.Vision.QuantizerCfg.EmbedDim;

    /// <summary>The CLIP BPE tokenizer (loaded on first use).</summary>
    public ClipBpeTokenizer TextTokenizer => textTokenizer.Value;

    /// <summary>
    /// Loads the checkpoint in <paramref name="directory"/>: <c>config.json</c> and <c>model.safetensors</c> under the
    /// reference parameter names (ours or a published one), with its preprocessing (<see cref="CheckpointPreprocessing"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The directory or one of its two files is missing.</exception>
    /// <exception cref="InvalidDataException">The weights do not match the config (names the tensor).</exception>
    public static QlipPipeline Load(string directory, QlipPipelineOptions? options = null)
    {
        if (!Directory.Exists(directory))
            throw new FileNotFoundException($"checkpoint directory {directory} does not exist", directory);
        foreach (var file in new[] { QlipCheckpoint.ConfigFile, QlipCheckpoint.WeightsFile })
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {directory} has no {file}", path);
        }
        var model = QlipCheckpoint.Load(directory);
        try
        {
            return new QlipPipeline(model, CheckpointPreprocessing.Read(directory, model.Config), options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Writes the weights, config.json and the preprocessing settings to <paramref name="directory"/>.</summary>
    public void Save(string directory, IReadOnlyDictionary<string, string>? metadata = null)
    {
        QlipCheckpoint.Save(Model, directory, metadata);
        CheckpointPreprocessing.Write(directory, Preprocessing);
    }

    /// <summary>Images of any size → (B, 3, S, S) normalized pixels on the CPU (bicubic short-side resize, centre crop).</summary>
    public Tensor Preprocess(IReadOnlyList<RgbImage> images) => preprocessor.Preprocess(images);

    /// <summary>Normalized pixels (B, 3, H, W) → 8-bit images (de-normalized and clamped).</summary>
    public IReadOnlyList<RgbImage> ToImages(Tensor pixels) => postprocessor.ToImages(pixels);

    /// <summary>Images → BSQ ids (B, h, w).</summary>
    public ImageTokens Encode(IReadOnlyList<RgbImage> images)
    {
        using var pixels = Preprocess(images);
        return Encode(pixels);
    }

    /// <summary>Normalized pixels (B, 3, S, S) → BSQ ids (B, h, w).</summary>
    public ImageTokens Encode(Tensor pixels)
    {
        var grid = Model.Config.Vision.GridSize;
        using var ids = Batched(pixels, Model.Tokenize); // (B, N)
        return new ImageTokens(ids.view(-1, grid, grid), Bits);
    }

    /// <summary>Ids (B, h, w) or (B, h·w) → normalized pixels (B, 3, S, S), from the ids alone.</summary>
    /// <exception cref="ArgumentException">The grid is not the model's, or an id is outside [0, 2^L).</exception>
    public Tensor Decode(Tensor ids)
    {
        var grid = Model.Config.Vision.GridSize;
        var tokens = ids.dim() == 3 ? ids.shape[1] * ids.shape[2] : ids.dim() == 2 ? ids.shape[1] : -1;
        if (tokens != grid * grid || (ids.dim() == 3 && ids.shape[1] != grid))
            throw new ArgumentException(
                $"ids of shape ({string.Join(", ", ids.shape)}) do not fit the model's {grid}×{grid} grid: expected (B, {grid}, {grid})", nameof(ids));
        using var flat = ids.to_type(ScalarType.Int64).reshape(ids.shape[0], tokens); // (B, N)
        return Batched(flat, Model.DecodeIds);
    }

    /// <summary>Ids → 8-bit images.</summary>
    public IReadOnlyList<RgbImage> DecodeImages(Tensor ids)
    {
        using var pixels = Decode(ids);
        return ToImages(pixels);
    }

    /// <summary>Normalized pixels → quantize → decode, (B, 3, S, S) normalized.</summary>
    public Tensor Reconstruct(Tensor pixels) => Batched(pixels, Model.Reconstruct);

    /// <summary>Images → quantize → decode → 8-bit images at the model's size.</summary>
    public IReadOnlyList<RgbImage> Reconstruct(IReadOnlyList<RgbImage> images)
    {
        using var pixels = Preprocess(images);
        using var reconstructed = Reconstruct(pixels);
        return ToImages(reconstructed);
    }

    /// <summary>L2-normalized image embeddings (B, P) from the CLS path (never quantized).</summary>
    public Tensor ImageEmbeddings(Tensor pixels) => Batched(pixels, Model.EncodeImage);

    /// <summary>
    /// Patch features (B, N, D) of the second-last encoder layer, the input a LLaVA-style VLM reads (spec §6; CLS dropped,
    /// as LLaVA's default "patch" selection).
    /// </summary>
    public Tensor SecondLastLayerFeatures(Tensor pixels) =>
        Batched(pixels, x =>
        {
            var hidden = Model.VisionModel.HiddenStates(x)[^2];  // (B, N+1, D)
            return hidden.narrow(1, 1, hidden.shape[1] - 1);      // (B, N, D)
        });

    /// <summary>L2-normalized text embeddings (B, P) of <paramref name="captions"/> (CLIP BPE, the model's context length).</summary>
    public Tensor EncodeText(IReadOnlyList<string> captions)
    {
        if (captions.Count == 0) throw new ArgumentException("no captions to encode", nameof(captions));
        using var ids = TextTokenizer.TokenizeBatch(captions, Model.Config.Text.MaxPositionEmbeddings); // (B, T)
        return Batched(ids, x => Model.EncodeText(x));
    }

    /// <summary>
    /// Zero-shot class probabilities (B, C): per label the mean of the normalized embeddings of every template
    /// (renormalized), cosine similarity scaled by exp(logit_scale) (at most 100), softmax over labels.
    /// </summary>
    /// <param name="pixels">Normalized pixels (B, 3, S, S).</param>
    /// <param name="labels">Class names.</param>
    /// <param name="templates">Prompt templates with "{}"; null = <see cref="PromptTemplates.Default"/>.</param>
    public Tensor ZeroShotProbabilities(Tensor pixels, IReadOnlyList<string> labels, IReadOnlyList<string>? templates = null)
    {
        using var classes = ZeroShotClassWeights(labels, templates);
        return ZeroShotProbabilities(pixels, classes);
    }

    /// <summary>
    /// The zero-shot classifier of <paramref name="labels"/>, (C, P) on the CPU: per label the renormalized mean of the
    /// normalized text embeddings of every template. Compute it once and reuse it for many images.
    /// </summary>
    public Tensor ZeroShotClassWeights(IReadOnlyList<string> labels, IReadOnlyList<string>? templates = null)
    {
        var prompts = new ZeroShotPrompts(labels, templates);
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var tokens = prompts.Tokenize(TextTokenizer, Model.Config.Text.MaxPositionEmbeddings); // (C, T, L)
        var text = Batched(tokens.flatten(0, 1), x => Model.EncodeText(x))
            .view(labels.Count, prompts.Templates.Count, -1);                                    // (C, T, P), normalized
        return ZeroShotClassifier.ClassWeights(text).MoveToOuterDisposeScope();                  // (C, P)
    }

    /// <summary>Zero-shot probabilities (B, C) of normalized pixels against precomputed <see cref="ZeroShotClassWeights"/> (C, P).</summary>
    public Tensor ZeroShotProbabilities(Tensor pixels, Tensor classWeights)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var images = ImageEmbeddings(pixels);                                          // (B, P)
        var scale = Math.Min(Math.Exp(Model.LogitScale.item<float>()), MaxLogitScale);
        return nn.functional.softmax(images.matmul(classWeights.t()).Times(scale), -1).MoveToOuterDisposeScope(); // (B, C)
    }

    /// <summary>Per image, the <paramref name="topK"/> most probable of <paramref name="labels"/>, best first.</summary>
    public IReadOnlyList<IReadOnlyList<LabelProbability>> ZeroShot(IReadOnlyList<RgbImage> images, IReadOnlyList<string> labels,
        IReadOnlyList<string>? templates = null, int topK = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        using var pixels = Preprocess(images);
        using var probabilities = ZeroShotProbabilities(pixels, labels, templates);
        var k = Math.Min(topK, labels.Count);
        var (values, indices) = probabilities.topk(k, dim: -1);
        using (values)
        using (indices)
        {
            var p = values.data<float>().ToArray();
            var index = indices.data<long>().ToArray();
            return [.. Enumerable.Range(0, images.Count).Select(b => (IReadOnlyList<LabelProbability>)
                [.. Enumerable.Range(b * k, k).Select(i => new LabelProbability(labels[(int)index[i]], (int)index[i], p[i]))])];
        }
    }

    /// <summary>Disposes the model.</summary>
    public void Dispose() => Model.Dispose();

    // forward over slices of BatchSize along dim 0, on the device, under inference_mode; the result is one CPU tensor.
    private Tensor Batched(Tensor input, Func<Tensor, Tensor> forward)
    {
        if (input.shape[0] == 0) throw new ArgumentException("empty batch", nameof(input));
        using var mode = inference_mode();
        var outputs = new List<Tensor>();
        try
        {
            for (long start = 0; start < input.shape[0]; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var chunk = input.narrow(0, start, Math.Min(batchSize, input.shape[0] - start)).to(Device);
                outputs.Add(forward(chunk).cpu().MoveToOuterDisposeScope());
            }
            return outputs.Count == 1 ? outputs[0].alias() : cat(outputs, 0);
        }
        finally
        {
            foreach (var output in outputs) output.Dispose();
        }
    }
}
