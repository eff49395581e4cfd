namespace Qlip.ML.Training.Data;

/// <summary>One webdataset shard of a manifest and how many samples it holds.</summary>
/// <param name="Name">The tar's name relative to the manifest, e.g. <c>00000003.tar</c>.</param>
/// <param name="Samples">Sample count from the manifest (<c>sizes.json</c>).</param>
public sealed record ShardEntry(string Name, long Samples);
