namespace Qlip.Data.Making;

/// <summary>What <see cref="DataMaker"/> wrote.</summary>
/// <param name="Samples">Samples written.</param>
/// <param name="Failures">Reason code → samples not written.</param>
/// <param name="ShardSizes">Shard tar name → samples in it, in shard order.</param>
public sealed record DataMakeResult(int Samples, IReadOnlyDictionary<string, int> Failures, IReadOnlyDictionary<string, long> ShardSizes);
