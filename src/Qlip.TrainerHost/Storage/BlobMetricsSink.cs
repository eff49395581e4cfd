using System.Text;
using Azure.Storage.Blobs.Specialized;
using Qlip.ML.Training.Metrics;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Storage;

/// <summary>Metrics rows appended to <c>runs/{run}/metrics.jsonl</c> (an append blob; a resumed run keeps appending).</summary>
public sealed class BlobMetricsSink : IMetricsSink
{
    private readonly AppendBlobClient blob;

    public BlobMetricsSink(StorageClients clients, string runId)
    {
        var path = BlobLayout.RunMetrics(runId);
        blob = clients.Blobs.GetBlobContainerClient(path.Container).GetAppendBlobClient(path.Name);
        blob.CreateIfNotExists();
    }

    /// <inheritdoc />
    public void Write(MetricsRow row)
    {
        using var line = new MemoryStream(Encoding.UTF8.GetBytes(JsonlMetrics.Format(row) + "\n"));
        blob.AppendBlock(line);
    }
}
