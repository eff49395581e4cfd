namespace Qlip.Cli.Demo;

/// <summary>What ingest made of one data set, read back from the shards table and the `_stats.json` blobs.</summary>
internal sealed record DatasetCounts(
    string Dataset, int Shards, int DoneShards, long Samples, long Successes, long NeedsCaption,
    IReadOnlyDictionary<string, long> Rejected);
