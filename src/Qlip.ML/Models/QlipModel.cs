using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>
/// QLIP (arXiv 2502.05178; reference <c>QLIP/modeling_qlip.py</c>, <c>QLIPModel</c>): a CLIP-aligned visual tokenizer.
/// Field names are the reference state-dict keys, so published checkpoints load without a renaming table.
/// </summary>
public sealed class QlipModel : nn.Module<Tensor, Tensor, Tensor?, QlipOutput>, IQlipAutoencoder
{
    private readonly QlipTextEncoder text_model;
    private readonly QlipVisionEncoder vision_model;
    private readonly QlipPixelDecoder vision_decoder;
    private readonly Linear visual_projection;
    private readonly Linear text_projection;
    private readonly Parameter logit_scale;

    /// <summary>Builds every tower from a validated <paramref name="config"/> and initializes the weights.</summary>
    public QlipModel(QlipConfig config) : base(nameof(QlipModel))
    {
        Config = config.Validate();
        text_model = new QlipTextEncoder(config.Text);
        vision_model = new QlipVisionEncoder(config.Vision);
        vision_decoder = new QlipPixelDecoder(config.Decoder);
        visual_projection = nn.Linear(config.Vision.HiddenSize, config.ProjectionDim, hasBias: config.VisionProjectionBias);
        text_projection = nn.Linear(config.Text.HiddenSize, config.ProjectionDim, hasBias: config.TextProjectionBias);
        logit_scale = nn.Parameter(tensor((float)config.LogitScaleInitValue));
        RegisterComponents();
        InitWeights();
    }

    /// <summary>The architecture this model was built from.</summary>
    public QlipConfig Config { get; }

    /// <summary>The vision encoder and bottleneck (<c>vision_model</c>).</summary>
    public QlipVisionEncoder VisionModel => vision_model;

    /// <summary>The pixel decoder (<c>vision_decoder</c>).</summary>
    public QlipPixelDecoder VisionDecoder => vision_decoder;

    /// <summary>The text encoder (<c>text_model</c>).</summary>
    public QlipTextEncoder TextModel => text_model;

    /// <summary>The learnable log inverse temperature (rank 0).</summary>
    public Parameter LogitScale => logit_scale;

    /// <summary>
    /// Full forward: (B, T) ids, (B, C, H, W) CLIP-normalized pixels, optional (B, T) attention mask (1 = token).
    /// Losses are computed outside (Losses/), from this output.
    /// </summary>
    public override QlipOutput forward(Tensor inputIds, Tensor pixelValues, Tensor? attentionMask)
    {
        var vision = vision_model.call(pixelValues);
        var text = text_model.call(inputIds, attentionMask);
        var imageFeatures = visual_projection.call(vision.Pooled);     // (B, P)
        var textFeatures = text_projection.call(text.Pooled);         // (B, P)
        var imageEmbeds = Normalize(imageFeatures);
        var textEmbeds = Normalize(textFeatures);
        var logitsPerText = textEmbeds.matmul(imageEmbeds.t()) * logit_scale.exp(); // (B_text, B_image)
        var reconstructions = vision_decoder.call(vision.DecoderInput);              // (B, C, H, W)
        return new QlipOutput(imageEmbeds, textEmbeds, imageFeatures, textFeatures, logitsPerText.t(), logitsPerText,
            reconstructions, vision, text);
    }

    /// <summary>Normalized image embeddings (B, P) from the CLS path only (no bottleneck, no decoder).</summary>
    public Tensor EncodeImage(Tensor pixelValues) =>
        Normalize(visual_projection.call(vision_model.Pool(vision_model.HiddenStates(pixelValues)[^1])));

    /// <summary>Normalized text embeddings (B, P).</summary>
    public Tensor EncodeText(Tensor inputIds, Tensor? attentionMask = null) =>
        Normalize(text_projection.call(text_model.call(inputIds, attentionMask).Pooled));

    /// <summary>Images → BSQ token ids (B, N), int64, row-major over the patch grid.</summary>
    public Tensor Tokenize(Tensor pixelValues) => vision_model.Tokenize(pixelValues);

    /// <summary>Token ids (B, N) → images (B, C, H, W) in CLIP-normalized space, from the ids alone.</summary>
    public Tensor DecodeIds(Tensor ids) =>
        vision_decoder.call(vision_model.Unquantize(vision_model.Quantizer.CodebookEntry(ids)));

    /// <summary>Images → quantize → decode, (B, C, H, W) in CLIP-normalized space.</summary>
    public Tensor Reconstruct(Tensor pixelValues) => vision_decoder.call(vision_model.call(pixelValues).DecoderInput);

    /// <summary>Parameter counts per top-level component (text_model, vision_model, vision_decoder, projections, logit_scale).</summary>
    public IReadOnlyDictionary<string, long> ParameterCounts() => named_parameters()
        .GroupBy(p => p.name.Split('.')[0], p => p.parameter.numel())
        .ToDictionary(g => g.Key, g => g.Sum());

    private static Tensor Normalize(Tensor x) => nn.functional.normalize(x, p: 2, dim: -1);

    /// <summary>
    /// Initialization following the reference <c>QLIPPreTrainedModel._init_weights</c> (the Hugging Face CLIP rules,
    /// factor 1): embeddings N(0, 0.02); class token N(0, D^-½); attention in-projections N(0, D^-½·(2·layers)^-½),
    /// out_proj N(0, D^-½); MLP first layers N(0, (2D)^-½), last layers like the in-projections; other linears and the
    /// patch conv N(0, 0.02); projections N(0, D^-½); LayerNorm 1/0; biases 0; decoder positions 0; logit scale from
    /// the config.
    /// </summary>
    private void InitWeights()
    {
        using var _ = no_grad();
        var layersByPrefix = new Dictionary<string, (int Width, int Layers)>
        {
            ["text_model."] = (Config.Text.HiddenSize, Config.Text.NumHiddenLayers),
            ["vision_model."] = (Config.Vision.HiddenSize, Config.Vision.NumHiddenLayers),
            ["vision_decoder."] = (Config.Decoder.HiddenSize, Config.Decoder.NumHiddenLayers),
        };
        foreach (var (name, p) in named_parameters())
        {
            var (width, layers) = layersByPrefix.FirstOrDefault(kv => name.StartsWith(kv.Key, StringComparison.Ordinal)).Value;
            var inStd = Math.Pow(width, -0.5) * Math.Pow(2 * Math.Max(layers, 1), -0.5);
            var std = name switch
            {
                "logit_scale" or "vision_decoder.position_embeddings" => double.NaN,
                _ when name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("layer_norm") || name.Contains("layernorm")
                    || name.Contains("_ln.") || name.StartsWith("vision_decoder.norm.", StringComparison.Ordinal) => double.NaN,
                _ when name.EndsWith("class_embedding", StringComparison.Ordinal) => Math.Pow(width, -0.5),
                _ when name.Contains("embedding") => 0.02,
                _ when name.Contains("self_attn.out_proj") => Math.Pow(width, -0.5),
                _ when name.Contains("self_attn.") => inStd,
                _ when name.Contains(".mlp.fc1") || name.Contains(".mlp.w1") || name.Contains(".mlp.w2") => Math.Pow(2 * width, -0.5),
                _ when name.Contains(".mlp.") => inStd,
                "visual_projection.weight" => Math.Pow(Config.Vision.HiddenSize, -0.5),
                "text_projection.weight" => Math.Pow(Config.Text.HiddenSize, -0.5),
                _ => 0.02,
            };
            if (!double.IsNaN(std)) nn.init.normal_(p, 0, std);
            else if (name.EndsWith(".weight", StringComparison.Ordinal)) nn.init.ones_(p);
            else if (name != "logit_scale") nn.init.zeros_(p);
        }
        using var logitScaleInit = Config.LogitScaleInitValue.ToScalar();
        logit_scale.fill_(logitScaleInit);
    }
}
