using Qlip.ML.Native;
using Qlip.ML.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>
/// Vision embeddings (spec §1, reference <c>QLIPVisionEmbeddings</c>): conv patchify (kernel = stride = p, bias),
/// a learnable CLS token prepended, learned absolute positions for the N+1 tokens. Patches run row-major.
/// </summary>
public sealed class PatchEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter class_embedding;
    private readonly Conv2d patch_embedding;
    private readonly Embedding position_embedding;

    // NNPACK fails to initialize on CPUs without its instruction set and then logs on every conv (LibTorchBackends).
    static PatchEmbedding() => LibTorchBackends.DisableNnpack();

    /// <summary>Builds the patchify conv, CLS token and position table from <paramref name="config"/>.</summary>
    public PatchEmbedding(QlipVisionConfig config) : base(nameof(PatchEmbedding))
    {
        var d = config.HiddenSize;
        class_embedding = nn.Parameter(randn(d));
        patch_embedding = nn.Conv2d(config.NumChannels, d, config.PatchSize, stride: config.PatchSize);
        position_embedding = nn.Embedding(config.GridSize * config.GridSize + 1, d);
        RegisterComponents();
    }

    /// <summary>(B, C, H, W) pixels → (B, N+1, D) tokens, CLS first.</summary>
    public override Tensor forward(Tensor pixels)
    {
        var b = pixels.shape[0];
        // Pixels come in fp32; a bf16 working copy of the model computes in its weights' dtype.
        var patches = patch_embedding.call(pixels.to_type(patch_embedding.weight!.dtype)).flatten(2).transpose(1, 2); // (B, N, D)
        var cls = class_embedding.expand(b, 1, -1);                            // (B, 1, D)
        var tokens = cat([cls, patches], 1);                                   // (B, N+1, D)
        return tokens.Plus(position_embedding.weight!);                           // (B, N+1, D)
    }
}
