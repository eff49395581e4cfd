using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.Data.WebDataset;

namespace Qlip.Data.Making;

/// <summary>
/// Turns a packaged source into shards (<c>qlip data make</c>). Output is deterministic: the same source, split and
/// options give byte-identical files. Per shard the stats file is written last (img2dataset's "done" marker). Shard
/// files in the output folder that this run did not write (left by an earlier run) are deleted.
/// </summary>
public static partial class DataMaker
{
    /// <summary>Writes the shards described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Unknown source or bad shard size.</exception>
    /// <exception cref="DataNotFoundException">The source's data is not installed.</exception>
    public static async Task<DataMakeResult> MakeAsync(DataMakeOptions options, DataPaths paths, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ShardSize);
        var samples = DataSources.Open(options.Source, options.Split, paths);
        if (options.Limit is { } limit) samples = samples.Take(limit);
        Directory.CreateDirectory(options.OutputDirectory);

        var sizes = new Dictionary<string, long>();
        var failures = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var written = 0;
        var shard = 0;
        foreach (var chunk in samples.Chunk(options.ShardSize))
        {
            var (tarName, stats) = options.Format == ShardFormat.Sa1b
                ? await WriteSa1bShardAsync(chunk, shard, options, ct)
                : await WriteWebDatasetShardAsync(chunk, shard, options, ct);
            sizes[tarName] = stats.Successes;
            written += stats.Successes;
            foreach (var (status, count) in stats.StatusDict.Where(s => s.Key != "success"))
                failures[status] = failures.GetValueOrDefault(status) + count;
            shard++;
        }
        await File.WriteAllBytesAsync(Path.Combine(options.OutputDirectory, ShardNames.SizesFile), DatasetSizes.ToJsonBytes(sizes), ct);
        RemoveStaleShards(options, shard);
        return new DataMakeResult(written, failures, sizes);
    }

    // Shard files a previous run left in the same folder (more shards, the other format) would contradict sizes.json.
    private static void RemoveStaleShards(DataMakeOptions options, int shardCount)
    {
        var current = Enumerable.Range(0, shardCount)
            .SelectMany<int, string>(i => options.Format == ShardFormat.Sa1b
                ? [Sa1bTarName(i)]
                : [ShardNames.Tar(i), ShardNames.Parquet(i), ShardNames.Stats(i)])
            .ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(options.OutputDirectory))
        {
            var name = Path.GetFileName(path);
            if (ShardFileName().IsMatch(name) && !current.Contains(name)) File.Delete(path);
        }
    }

    private static string Sa1bTarName(int shard) => $"sa_{shard:D6}.tar";

    [GeneratedRegex(@"^(\d{8}(\.tar|\.parquet|_stats\.json)|sa_\d{6}\.tar)$")]
    private static partial Regex ShardFileName();

    private static async Task<(string TarName, ShardStats Stats)> WriteWebDatasetShardAsync(
        SourceSample[] chunk, int shard, DataMakeOptions options, CancellationToken ct)
    {
        var keyDigits = Math.Max(4, (options.ShardSize - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var rows = new List<SampleMetadata>();
        var status = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using (var tar = File.Create(Path.Combine(options.OutputDirectory, ShardNames.Tar(shard))))
        await using (var writer = new WebDatasetWriter(tar))
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                var sample = chunk[i];
                var key = shard.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)
                    + i.ToString("D" + keyDigits, System.Globalization.CultureInfo.InvariantCulture);
                var row = new SampleMetadata
                {
                    Key = key,
                    Caption = sample.Caption,
                    Label = sample.Label,
                    ClassName = sample.ClassName,
                    Source = sample.Source,
                    SourceId = sample.SourceId,
                };
                rows.Add(row);
                if (sample.FailureReason is { } reason)
                {
                    (row.Status, row.ErrorMessage) = (reason, sample.FailureMessage);
                    status[reason] = status.GetValueOrDefault(reason) + 1;
                    continue;
                }
                (row.Width, row.Height, row.Sha256) = (sample.Width, sample.Height, Sha256Hex(sample.ImageBytes));
                status["success"] = status.GetValueOrDefault("success") + 1;
                await writer.WriteAsync(key,
                [
                    new(sample.Extension, sample.ImageBytes),
                    new("txt", Encoding.UTF8.GetBytes(sample.Caption)),
                    new("json", row.ToJsonBytes()),
                ], ct);
            }
        }
        await using (var parquet = File.Create(Path.Combine(options.OutputDirectory, ShardNames.Parquet(shard))))
            await ShardMetadataParquet.WriteAsync(rows, parquet, ct);
        var stats = StatsOf(chunk.Length, status);
        await File.WriteAllBytesAsync(Path.Combine(options.OutputDirectory, ShardNames.Stats(shard)), stats.ToJsonBytes(), ct);
        return (ShardNames.Tar(shard), stats);
    }

    private static async Task<(string TarName, ShardStats Stats)> WriteSa1bShardAsync(
        SourceSample[] chunk, int shard, DataMakeOptions options, CancellationToken ct)
    {
        var tarName = Sa1bTarName(shard);
        var status = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using (var tar = File.Create(Path.Combine(options.OutputDirectory, tarName)))
        await using (var writer = new WebDatasetWriter(tar))
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                var sample = chunk[i];
                var reason = sample.FailureReason;
                byte[]? jpeg = null;
                RgbImage? image = null;
                if (reason is null)
                {
                    try
                    {
                        image = ImageDecoder.Decode(sample.ImageBytes);
                        jpeg = sample.Extension == "jpg" ? sample.ImageBytes : ImageEncoder.EncodeJpeg(image, options.JpegQuality);
                    }
                    catch (ImageDecodeException e)
                    {
                        reason = e.Reason;
                    }
                }
                if (reason is not null || jpeg is null || image is null)
                {
                    status[reason!] = status.GetValueOrDefault(reason!) + 1;
                    continue;
                }
                // SA-1B numbers images across the whole dataset, from 1.
                var id = (long)shard * options.ShardSize + i + 1;
                var info = new Sa1bImageInfo(new Sa1bImage(id, image.Width, image.Height, $"sa_{id}.jpg"), []);
                status["success"] = status.GetValueOrDefault("success") + 1;
                await writer.WriteAsync($"sa_{id}",
                    [new("jpg", jpeg), new("json", JsonSerializer.SerializeToUtf8Bytes(info, DataJson.Context.Sa1bImageInfo))], ct);
            }
        }
        return (tarName, StatsOf(chunk.Length, status));
    }

    private static ShardStats StatsOf(int count, SortedDictionary<string, int> status) => new()
    {
        Count = count,
        Successes = status.GetValueOrDefault("success"),
        FailedToResize = count - status.GetValueOrDefault("success"),
        StatusDict = status,
    };

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
