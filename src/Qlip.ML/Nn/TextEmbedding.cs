using Qlip.ML.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>CLIP text embeddings (reference <c>QLIPTextEmbeddings</c>): token embedding + learned absolute position.</summary>
public sealed class TextEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Embedding token_embedding;
    private readonly Embedding position_embedding;

    /// <summary>Builds the token and position tables from <paramref name="config"/>.</summary>
    public TextEmbedding(QlipTextConfig config) : base(nameof(TextEmbedding))
    {
        token_embedding = nn.Embedding(config.VocabSize, config.HiddenSize);
        position_embedding = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>(B, T) ids → (B, T, D), positions 0..T−1.</summary>
    public override Tensor forward(Tensor ids)
    {
        var t = ids.shape[1];
        var positions = position_embedding.weight!.narrow(0, 0, t); // (T, D)
        return token_embedding.call(ids).Plus(positions);              // (B, T, D)
    }
}
