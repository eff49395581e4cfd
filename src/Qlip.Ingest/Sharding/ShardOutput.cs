using Qlip.Shared.Storage;

namespace Qlip.Ingest.Sharding;

/// <summary>A built shard ready to publish: where it came from, its rows and its final local tar.</summary>
public sealed record ShardOutput(IncomingBlob Incoming, string ShardId, string SourceSha256, ShardBuild Build, string TarPath);
