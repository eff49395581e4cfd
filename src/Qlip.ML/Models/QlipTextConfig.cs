using System.Text.Json.Serialization;

namespace Qlip.ML.Models;

/// <summary>CLIP text tower settings (<c>text_config</c> in the reference layout).</summary>
public sealed record QlipTextConfig : QlipTowerConfig
{
    /// <summary>Vocabulary size (CLIP BPE: 49,408).</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 49408;

    /// <summary>Context length (CLIP: 77).</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 77;

    /// <summary>Start-of-text id.</summary>
    [JsonPropertyName("bos_token_id")] public long BosTokenId { get; init; } = 49406;

    /// <summary>End-of-text id; the pooled feature is the hidden state at its first occurrence.</summary>
    [JsonPropertyName("eos_token_id")] public long EosTokenId { get; init; } = 49407;

    /// <summary>Padding id.</summary>
    [JsonPropertyName("pad_token_id")] public long PadTokenId { get; init; }

    /// <inheritdoc />
    public override IEnumerable<string> Problems(string path)
    {
        foreach (var p in base.Problems(path)) yield return p;
        if (VocabSize < 1) yield return $"{path}.vocab_size ({VocabSize}) must be ≥ 1";
        if (MaxPositionEmbeddings < 2) yield return $"{path}.max_position_embeddings ({MaxPositionEmbeddings}) must be ≥ 2";
        foreach (var (name, id) in new[] { ("bos_token_id", BosTokenId), ("eos_token_id", EosTokenId), ("pad_token_id", PadTokenId) })
        {
            if (id < 0 || id >= VocabSize) yield return $"{path}.{name} ({id}) must be in 0..vocab_size-1 ({VocabSize - 1})";
        }
    }
}
