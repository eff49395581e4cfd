namespace Qlip.Shared.Progress;

/// <summary>How far one data set has come through the pipeline (what <c>qlip status</c> shows).</summary>
/// <param name="Dataset">The data set name.</param>
/// <param name="Shards">Rows of the <c>shards</c> table (every incoming file, whatever its status).</param>
/// <param name="FailedShards">Shards whose ingest failed.</param>
/// <param name="Ingested">Samples written to clean shards (with an image).</param>
/// <param name="NeedsCaption">Ingested samples that arrived without a caption.</param>
/// <param name="Captioned">Samples with a successful row in <c>shards/{dataset}/captions/</c>.</param>
/// <param name="CaptionFailures">Samples whose newest caption row is a failure (retried by the next request).</param>
/// <param name="Tokenized">Rows of each tokens manifest, by checkpoint id.</param>
public sealed record DatasetProgress(string Dataset, long Shards, long FailedShards, long Ingested, long NeedsCaption, long Captioned,
    long CaptionFailures, IReadOnlyDictionary<string, long> Tokenized);
