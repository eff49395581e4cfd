using Qlip.ML.Training.Runs;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Storage;

/// <summary>A run's report and plots as blobs under <c>runs/{run}/</c>.</summary>
public sealed class BlobRunArtifacts(StorageClients clients, string runId) : IRunArtifacts
{
    /// <inheritdoc />
    public Task WriteAsync(string name, byte[] content, CancellationToken cancellationToken) =>
        clients.Blobs.GetBlobContainerClient(StorageNames.Containers.Runs).GetBlobClient($"{runId}/{name}")
            .UploadAsync(new BinaryData(content), overwrite: true, cancellationToken);
}
