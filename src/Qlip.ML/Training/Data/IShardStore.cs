namespace Qlip.ML.Training.Data;

/// <summary>
/// Where a run's clean webdataset shards live: the shards a manifest lists and a way to open each one. A local folder
/// here (<see cref="LocalShardStore"/>); the TrainerHost implements it over blob storage.
/// </summary>
public interface IShardStore
{
    /// <summary>Where the manifest was read from, for error messages and reports.</summary>
    string Describe { get; }

    /// <summary>The shards in manifest order.</summary>
    IReadOnlyList<ShardEntry> Shards { get; }

    /// <summary>Opens a shard's tar for sequential reading; the caller disposes the stream.</summary>
    Stream Open(ShardEntry shard, CancellationToken cancellationToken);
}
