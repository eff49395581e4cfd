using Qlip.Shared.Storage;

namespace Qlip.Ingest.Sharding;

/// <summary>
/// A built shard ready to publish: where it came from, its rows, its final local tar and its status row (which already
/// holds the input's sha256 and length).
/// </summary>
public sealed record ShardOutput(IncomingBlob Incoming, string ShardId, ShardBuild Build, string TarPath, ShardEntity Row)
{
    public string SourceSha256 => Row.SourceSha256;
}
