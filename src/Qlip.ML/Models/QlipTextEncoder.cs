using Qlip.ML.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Models;

/// <summary>
/// CLIP text tower E_t (spec §1; reference <c>QLIPTextTransformer</c>, state-dict prefix <c>text_model.</c>): token +
/// position embeddings, blocks under causal + padding masks, final LayerNorm on all tokens, pooled at the first EOS.
/// </summary>
public sealed class QlipTextEncoder : nn.Module<Tensor, Tensor?, QlipTextOutput>
{
    private readonly TextEmbedding embeddings;
    private readonly TransformerStack encoder;
    private readonly LayerNorm final_layer_norm;

    private readonly long eosTokenId;
    private readonly int contextLength;

    /// <summary>Builds the text tower from <paramref name="config"/>.</summary>
    public QlipTextEncoder(QlipTextConfig config) : base(nameof(QlipTextEncoder))
    {
        eosTokenId = config.EosTokenId;
        contextLength = config.MaxPositionEmbeddings;
        embeddings = new TextEmbedding(config);
        encoder = new TransformerStack(config, rope: null, ropeShift: 0);
        final_layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>Encodes (B, T) ids; <paramref name="attentionMask"/> (B, T) is 1 for real tokens, 0 for padding, or null.</summary>
    /// <exception cref="ArgumentException">T exceeds the context length.</exception>
    public override QlipTextOutput forward(Tensor ids, Tensor? attentionMask)
    {
        var t = ids.shape[1];
        if (t > contextLength) throw new ArgumentException($"{t} tokens exceed the context length {contextLength}", nameof(ids));
        var x = embeddings.call(ids);                                // (B, T, D)
        var mask = AdditiveMask(ids, attentionMask, x.dtype);        // (B or 1, 1, T, T)
        var hidden = final_layer_norm.call(encoder.call(x, mask));   // (B, T, D)
        var eos = ids.EqualTo(eosTokenId).to_type(ScalarType.Int32).argmax(-1);         // (B) first EOS (0 if none)
        var pooled = hidden[ScalarOperands.Range(ids.shape[0], ids.device), eos]; // (B, D)
        return new QlipTextOutput(hidden, pooled);
    }

    // finfo.min above the diagonal plus finfo.min on padded keys (transformers 4.37); the sum overflows to −inf
    // where both apply, which softmax turns into 0 like any masked entry.
    private static Tensor AdditiveMask(Tensor ids, Tensor? attentionMask, ScalarType dtype)
    {
        var t = ids.shape[1];
        var min = dtype == ScalarType.Float32 ? float.MinValue : (double)finfo(dtype).min;
        var causal = ScalarOperands.Filled([t, t], min, dtype, ids.device).triu(1).view(1, 1, t, t); // (1, 1, T, T)
        if (attentionMask is null) return causal;
        var padding = zeros(ids.shape[0], 1, 1, t, dtype, ids.device)
            .FilledWhere(attentionMask.EqualTo(0).view(ids.shape[0], 1, 1, t), min);    // (B, 1, 1, T)
        return causal.Plus(padding);                                                  // (B, 1, T, T)
    }
}
