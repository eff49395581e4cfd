using Qlip.ML.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Training.Stage2;

/// <summary>
/// What stage 2 trains (spec §4): QLIP without its text tower (no <c>text_model</c>, projections or logit scale at all),
/// the vision encoder E_v frozen — its parameters do not require grad and it stays in eval mode — while the bottleneck
/// (<c>vision_model.quant_embed</c>, <c>quant_embed_post</c>) and the decoder train, plus the PatchGAN discriminator
/// that the adversarial term needs. Names match QLIP's (<c>vision_model.*</c>, <c>vision_decoder.*</c>), so a stage-1
/// checkpoint loads into it and its own checkpoints hold the tokenizer under the reference names.
/// </summary>
public sealed class QlipStage2Model : nn.Module<Tensor, QlipStage2Output>, IQlipAutoencoder
{
    /// <summary>Prefixes of E_v's frozen parts: everything of <c>vision_model</c> but the bottleneck.</summary>
    public static readonly IReadOnlyList<string> FrozenPrefixes = ["vision_model.embeddings.", "vision_model.encoder.", "vision_model.post_layernorm."];

    /// <summary>Stage-1 tensors stage 2 drops: the text tower, both projections and the logit scale.</summary>
    public static readonly IReadOnlyList<string> DroppedPrefixes = ["text_model.", "text_projection.", "visual_projection.", "logit_scale"];

    /// <summary>Prefix of the discriminator's parameters (its own optimizer updates them).</summary>
    public const string DiscriminatorPrefix = "discriminator.";

    private readonly QlipVisionEncoder vision_model;
    private readonly QlipPixelDecoder vision_decoder;
    private readonly PatchDiscriminator discriminator;

    /// <summary>Builds the parts from <paramref name="config"/> and <paramref name="discriminatorConfig"/> and freezes E_v.</summary>
    public QlipStage2Model(QlipConfig config, PatchDiscriminatorConfig discriminatorConfig) : base(nameof(QlipStage2Model))
    {
        Config = config.Validate();
        vision_model = new QlipVisionEncoder(config.Vision);
        vision_decoder = new QlipPixelDecoder(config.Decoder);
        discriminator = new PatchDiscriminator(discriminatorConfig, config.Vision.ImageSize);
        RegisterComponents();
        foreach (var (name, p) in named_parameters())
            if (IsFrozen(name)) p.requires_grad = false;
        train();
    }

    /// <inheritdoc />
    public QlipConfig Config { get; }

    /// <summary>E_v with the bottleneck; the frozen encoder is also the fallback perceptual network.</summary>
    public QlipVisionEncoder VisionModel => vision_model;

    /// <summary>The PatchGAN discriminator.</summary>
    public PatchDiscriminator Discriminator => discriminator;

    /// <summary>Whether parameter <paramref name="name"/> belongs to the frozen E_v.</summary>
    public static bool IsFrozen(string name) => FrozenPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>(B, C, H, W) CLIP-normalized pixels → x̂ through frozen E_v, the bottleneck, BSQ and the decoder.</summary>
    public override QlipStage2Output forward(Tensor pixels)
    {
        Tensor features;
        using (no_grad()) features = vision_model.HiddenStates(pixels)[^1];      // (B, N+1, D): frozen, no graph kept
        var h = vision_model.Bottleneck(features);                                 // (B, N, L)
        var quantized = vision_model.Quantizer.call(h);
        var reconstructions = vision_decoder.call(vision_model.Unquantize(quantized.Quantized)); // (B, C, H, W)
        return new QlipStage2Output(reconstructions, quantized);
    }

    /// <inheritdoc />
    public Tensor Tokenize(Tensor pixelValues) => vision_model.Tokenize(pixelValues);

    /// <inheritdoc />
    public Tensor Reconstruct(Tensor pixelValues) => call(pixelValues).Reconstructions;

    /// <summary>Train mode for the bottleneck, decoder and discriminator; E_v's frozen parts stay in eval mode.</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        foreach (var (name, child) in vision_model.named_children())
            if (IsFrozen($"vision_model.{name}.")) child.eval();
    }
}
