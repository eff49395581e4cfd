using Qlip.Shared.Storage;

namespace Qlip.Infra.Tests;

/// <summary>A blob created under incoming/ becomes a message on the ingest queue, delivered as the identity.</summary>
[Collection(InfraCollection.Name)]
public sealed class EventGridTests(InfraTemplates templates)
{
    [Theory]
    [MemberData(nameof(InfraTemplates.Environments), MemberType = typeof(InfraTemplates))]
    public void Blob_created_under_incoming_is_delivered_to_the_ingest_queue(string environment)
    {
        var snapshot = templates.Snapshots[environment];
        var account = (string)snapshot.StorageAccount["id"]!;
        var topic = snapshot.Single("Microsoft.EventGrid/systemTopics");
        var subscription = snapshot.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions")["properties"]!;

        Assert.Equal(account, (string?)topic["properties"]!["source"]);
        Assert.True(topic["identity"]!["userAssignedIdentities"]!.AsObject().ContainsKey(snapshot.IdentityId));
        var filter = subscription["filter"]!;
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal($"/blobServices/default/containers/{StorageNames.Containers.Incoming}/", (string?)filter["subjectBeginsWith"]);
        Assert.Null(subscription["destination"]);
        var delivery = subscription["deliveryWithResourceIdentity"]!;
        Assert.Equal("UserAssigned", (string?)delivery["identity"]!["type"]);
        Assert.Equal(snapshot.IdentityId, (string?)delivery["identity"]!["userAssignedIdentity"]);
        Assert.Equal("StorageQueue", (string?)delivery["destination"]!["endpointType"]);
        Assert.Equal(account, (string?)delivery["destination"]!["properties"]!["resourceId"]);
        Assert.Equal(StorageNames.Queues.Ingest, (string?)delivery["destination"]!["properties"]!["queueName"]);
    }
}
