// Analytic FLOPs of one QLIP forward, per image-text pair (nanoGPT's estimate_mfu / PaLM appendix B, per layer):
// 2·m·n·k for every matmul, the attention scores and weighted sums (4·T²·D per layer) included; norms, activations,
// softmax, RoPE and the B×B contrastive logits are left out (they are O(T·D), not O(T·D²)). Backward ≈ 2× forward.
namespace Qlip.ML.Models;

/// <summary>Matmul FLOPs of QLIP's parts for one image (and its caption), from the config alone.</summary>
public static class QlipFlops
{
    /// <summary>Patch embedding, encoder blocks over N+1 tokens and the visual projection of the CLS token.</summary>
    public static double VisionEncoder(QlipConfig config)
    {
        var v = config.Vision;
        var n = (double)v.GridSize * v.GridSize;
        var patchEmbedding = 2 * n * v.NumChannels * v.PatchSize * v.PatchSize * v.HiddenSize;
        return patchEmbedding + v.NumHiddenLayers * Block(v, n + 1) + 2.0 * v.HiddenSize * config.ProjectionDim;
    }

    /// <summary>MLP down (D → D → L) on the N patch tokens, the part of the bottleneck the tokenizer's encode runs.</summary>
    public static double BottleneckDown(QlipConfig config)
    {
        var v = config.Vision;
        var n = (double)v.GridSize * v.GridSize;
        return 2 * n * ((double)v.HiddenSize * v.HiddenSize + (double)v.HiddenSize * v.QuantizerCfg.EmbedDim);
    }

    /// <summary>MLP up (L → D' → D') on the N codes.</summary>
    public static double BottleneckUp(QlipConfig config)
    {
        var v = config.Vision;
        var n = (double)v.GridSize * v.GridSize;
        return 2 * n * ((double)v.QuantizerCfg.EmbedDim * v.HiddenSizePostQ + (double)v.HiddenSizePostQ * v.HiddenSizePostQ);
    }

    /// <summary>Decoder blocks over N tokens and the Linear → Tanh → Linear(C·p²) pixel head.</summary>
    public static double Decoder(QlipConfig config)
    {
        var d = config.Decoder;
        var n = (double)d.GridSize * d.GridSize;
        var head = 2 * n * d.IntermediateSize * ((double)d.HiddenSize + d.NumChannels * d.PatchSize * d.PatchSize);
        return d.NumHiddenLayers * Block(d, n) + head;
    }

    /// <summary>Text blocks over <paramref name="contextLength"/> tokens and the text projection of the pooled token.</summary>
    public static double Text(QlipConfig config, int contextLength) =>
        config.Text.NumHiddenLayers * Block(config.Text, contextLength) + 2.0 * config.Text.HiddenSize * config.ProjectionDim;

    /// <summary>The full training forward (every tower) per image-text pair.</summary>
    public static double Forward(QlipConfig config, int contextLength) =>
        VisionEncoder(config) + BottleneckDown(config) + BottleneckUp(config) + Decoder(config) + Text(config, contextLength);

    /// <summary>Images → ids: the encoder blocks and MLP down (the CLS projection is not needed for ids, but is tiny).</summary>
    public static double Encode(QlipConfig config) => VisionEncoder(config) + BottleneckDown(config);

    // q, k, v, out projections; QKᵀ and weights·V; MLP (SwiGLU has three D×I matrices, the GELU MLP two).
    private static double Block(QlipTowerConfig c, double tokens)
    {
        var d = (double)c.HiddenSize;
        var projections = 2 * tokens * 4 * d * d;
        var attention = 2 * 2 * tokens * tokens * d;
        var mlp = 2 * tokens * (c.SwiGlu ? 3 : 2) * d * c.IntermediateSize;
        return projections + attention + mlp;
    }
}
