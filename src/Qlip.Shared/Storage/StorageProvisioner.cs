namespace Qlip.Shared.Storage;

/// <summary>Creates every container, queue (with its poison queue) and table in <see cref="StorageNames"/>; idempotent.</summary>
public sealed class StorageProvisioner(StorageClients clients)
{
    public async Task ProvisionAsync(CancellationToken ct)
    {
        foreach (var container in StorageNames.Containers.All)
            await clients.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: ct);
        foreach (var queue in StorageNames.Queues.All)
            await clients.Queue(queue).CreateIfNotExistsAsync(cancellationToken: ct);
        foreach (var table in StorageNames.Tables.All)
            await clients.Tables.CreateTableIfNotExistsAsync(table, ct);
    }
}
