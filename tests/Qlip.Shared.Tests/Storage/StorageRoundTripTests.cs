using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;

namespace Qlip.Shared.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class StorageRoundTripTests(AzuriteFixture azurite)
{
    private readonly StorageClients _clients = azurite.Clients;

    [Fact]
    public async Task Provisioning_creates_every_container_queue_and_table()
    {
        var containers = new List<string>();
        await foreach (var c in _clients.Blobs.GetBlobContainersAsync()) containers.Add(c.Name);
        var queues = new List<string>();
        await foreach (var q in _clients.Queues.GetQueuesAsync()) queues.Add(q.Name);
        var tables = new List<string>();
        await foreach (var t in _clients.Tables.QueryAsync()) tables.Add(t.Name);

        Assert.Subset(containers.ToHashSet(), StorageNames.Containers.All.ToHashSet());
        Assert.Subset(queues.ToHashSet(), StorageNames.Queues.All.ToHashSet());
        Assert.Contains("ingest-poison", queues);
        Assert.Subset(tables.ToHashSet(), StorageNames.Tables.All.ToHashSet());
    }

    [Fact]
    public async Task Blob_round_trips_and_conditional_create_refuses_a_second_write()
    {
        var path = BlobLayout.ShardStats($"rt-{Guid.NewGuid():N}", BlobLayout.ShardId(7));
        var blob = _clients.Blob(path);
        var bytes = "{\"count\":10000}"u8.ToArray();
        var onlyIfNew = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };

        await blob.UploadAsync(new BinaryData(bytes), onlyIfNew);
        var again = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(new BinaryData("{}"u8.ToArray()), onlyIfNew));
        var downloaded = await blob.DownloadContentAsync();

        Assert.Equal(409, again.Status);
        Assert.Equal(bytes, downloaded.Value.Content.ToArray());
        Assert.Equal("shards", path.Container);
    }

    [Fact]
    public async Task Queue_message_round_trips_and_stays_invisible_while_leased()
    {
        var queue = _clients.Queue($"rt-{Guid.NewGuid():N}");
        await queue.CreateAsync();
        await queue.SendMessageAsync("{\"version\":1}");

        var first = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value.Single();
        var whileLeased = (await queue.ReceiveMessagesAsync(1)).Value;
        await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        var again = (await queue.ReceiveMessagesAsync(1)).Value.Single();

        Assert.Equal("{\"version\":1}", first.Body.ToString());
        Assert.Empty(whileLeased);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task Table_entity_round_trips_and_a_stale_etag_is_refused()
    {
        var table = _clients.Table(StorageNames.Tables.Shards);
        var entity = new TableEntity($"rt-{Guid.NewGuid():N}", "00000000") { ["Samples"] = 1000L, ["Status"] = "ingested" };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace);

        var read = (await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey)).Value;
        read["Samples"] = 999L;
        await table.UpdateEntityAsync(read, read.ETag);
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(read, read.ETag));
        var final = (await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey)).Value;

        Assert.Equal(412, stale.Status);
        Assert.Equal(999L, final.GetInt64("Samples"));
        Assert.Equal("ingested", final.GetString("Status"));
    }

    [Fact]
    public async Task Reachability_is_true_for_azurite_and_false_for_a_closed_port()
    {
        var closed = new StorageClients(new StorageOptions { ConnectionString = Qlip.Shared.Dev.AzuritePorts.PickFree().ConnectionString });

        Assert.True(await _clients.IsReachableAsync(TimeSpan.FromSeconds(2), CancellationToken.None));
        Assert.False(await closed.IsReachableAsync(TimeSpan.FromSeconds(2), CancellationToken.None));
    }
}
