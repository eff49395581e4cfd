using Azure.Storage.Blobs;
using Qlip.ML.Training.Data;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Storage;

/// <summary>
/// Shards listed by a <c>sizes.json</c> manifest blob (e.g. <c>shards/{dataset}/sizes.json</c>); tars are read next to it.
/// The URL only names the blob: access goes through the host's own storage credentials.
/// </summary>
public sealed class BlobShardStore : IShardStore
{
    private readonly BlobContainerClient container;
    private readonly string folder;

    private BlobShardStore(BlobContainerClient container, string folder, IReadOnlyList<ShardEntry> shards, string describe)
    {
        (this.container, this.folder, Shards, Describe) = (container, folder, shards, describe);
    }

    /// <inheritdoc />
    public string Describe { get; }

    /// <inheritdoc />
    public IReadOnlyList<ShardEntry> Shards { get; }

    /// <summary>The folder of the manifest inside its container, e.g. <c>fashion</c> for <c>shards/fashion/sizes.json</c>.</summary>
    public string Folder => folder;

    /// <summary>Reads the manifest at <paramref name="manifestUri"/>.</summary>
    public static async Task<BlobShardStore> OpenAsync(StorageClients clients, Uri manifestUri, CancellationToken ct)
    {
        var parts = new BlobUriBuilder(manifestUri);
        var container = clients.Blobs.GetBlobContainerClient(parts.BlobContainerName);
        var manifest = container.GetBlobClient(parts.BlobName);
        if (!(await manifest.ExistsAsync(ct)).Value) throw new FileNotFoundException($"manifest {parts.BlobContainerName}/{parts.BlobName} does not exist");
        var content = (await manifest.DownloadContentAsync(ct)).Value.Content;
        var describe = $"{parts.BlobContainerName}/{parts.BlobName}";
        var cut = parts.BlobName.LastIndexOf('/');
        return new BlobShardStore(container, cut < 0 ? "" : parts.BlobName[..cut], LocalShardStore.Parse(content.ToMemory().Span, describe), describe);
    }

    /// <inheritdoc />
    public Stream Open(ShardEntry shard, CancellationToken cancellationToken) =>
        container.GetBlobClient(folder.Length == 0 ? shard.Name : $"{folder}/{shard.Name}").OpenRead(cancellationToken: cancellationToken);
}
