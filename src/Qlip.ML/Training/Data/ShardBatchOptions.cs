namespace Qlip.ML.Training.Data;

/// <summary>How <see cref="ShardBatchSource"/> batches a manifest's samples.</summary>
/// <param name="BatchSize">Samples per batch; an epoch's incomplete last batch is dropped.</param>
/// <param name="ContextLength">Token ids per caption (the preset's text context length).</param>
/// <param name="ShuffleBuffer">Samples held for shuffling (webdataset's <c>shuffle(n)</c>); 1 keeps shard order.</param>
/// <param name="Seed">Seeds the shard order and the shuffle buffer of every epoch.</param>
public sealed record ShardBatchOptions(int BatchSize, int ContextLength, int ShuffleBuffer = 1000, long Seed = 0)
{
    /// <summary>Throws naming the field that is out of range.</summary>
    public ShardBatchOptions Validate()
    {
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be > 0");
        if (ContextLength < 2) throw new ArgumentOutOfRangeException(nameof(ContextLength), ContextLength, "must be ≥ 2");
        if (ShuffleBuffer <= 0) throw new ArgumentOutOfRangeException(nameof(ShuffleBuffer), ShuffleBuffer, "must be > 0");
        return this;
    }
}
