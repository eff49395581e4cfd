using Qlip.Data.WebDataset;
using Qlip.Ingest.Processing;
using Qlip.Ingest.Reading;

namespace Qlip.Ingest.Sharding;

/// <summary>
/// Turns an input's raw samples into a webdataset tar: each sample cleaned by <see cref="SampleProcessor"/>, then
/// duplicates inside the shard dropped (a key or an image's sha256 seen before: the first occurrence wins). Storage-free,
/// so the benchmark measures exactly this loop.
/// </summary>
public sealed class ShardBuilder(SampleProcessor processor)
{
    /// <summary>Reads <paramref name="samples"/> and writes the clean ones to <paramref name="tar"/> (left open).</summary>
    /// <exception cref="ShardFormatException">The input is unreadable part-way (truncated tar…).</exception>
    public async Task<ShardBuild> BuildAsync(IAsyncEnumerable<RawSample> samples, string source, Stream tar, CancellationToken ct)
    {
        var rows = new List<SampleMetadata>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        var members = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var writer = new WebDatasetWriter(tar, leaveOpen: true);
        await foreach (var raw in samples.WithCancellation(ct))
        {
            var sample = processor.Process(raw, source);
            var row = sample.Row;
            rows.Add(row);
            // A refused key never claims its name, so a later valid sample with the same raw name is not a duplicate.
            if (row.Status is RejectReasons.UnsafeKey or RejectReasons.DottedKey) continue;
            if (!keys.Add(row.Key))
            {
                ProcessedSample.Rejected(row, RejectReasons.DuplicateKey, $"key '{row.Key}' appeared earlier in this shard");
                continue;
            }
            if (!sample.Succeeded) continue;
            if (images.TryGetValue(row.Sha256!, out var first))
            {
                ProcessedSample.Rejected(row, RejectReasons.DuplicateImage, $"same image bytes as '{first}' in this shard");
                continue;
            }
            images.Add(row.Sha256!, row.Key);
            members.Add(row.Key, sample.Files!.Count);
            await writer.WriteAsync(row.Key, sample.Files!, ct);
        }
        return new ShardBuild(rows, members);
    }
}
