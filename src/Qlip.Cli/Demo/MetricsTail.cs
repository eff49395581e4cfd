using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Qlip.ML.Training.Metrics;

namespace Qlip.Cli.Demo;

/// <summary>Reads the rows appended to a run's <c>metrics.jsonl</c> blob since the last read (a partial last line waits).</summary>
internal sealed class MetricsTail(BlobClient blob)
{
    private long offset;
    private string pending = "";

    /// <summary>Starts after what the blob holds now (rows of an earlier attempt at the run).</summary>
    public async Task SkipExistingAsync(CancellationToken ct) => offset = await LengthAsync(ct);

    public async Task<IReadOnlyList<MetricsRow>> ReadNewAsync(CancellationToken ct)
    {
        var length = await LengthAsync(ct);
        if (length <= offset) return [];
        var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset, length - offset) }, ct);
        offset = length;
        var text = pending + Encoding.UTF8.GetString(content.Value.Content.ToMemory().Span);
        var end = text.LastIndexOf('\n');
        pending = text[(end + 1)..];
        return end < 0 ? [] : [.. text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JsonlMetrics.Parse)];
    }

    private async Task<long> LengthAsync(CancellationToken ct)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }
}
