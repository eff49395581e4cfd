// Event Grid system topic on the storage account: BlobCreated under incoming/ becomes a message on the ingest
// queue (Event Grid schema, plain JSON). Delivery authenticates as the workload identity, so no queue key exists.

param name string
param location string
param tags object
param storageAccountId string

@description('Container whose new blobs are routed (names.json: incoming).')
param sourceContainer string

@description('Queue that receives the events (names.json: ingest).')
param destinationQueue string

@description('Resource id of the user-assigned identity the topic delivers with (needs queue send rights).')
param identityId string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource toIngestQueue 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'incoming-to-${destinationQueue}'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${sourceContainer}/'
      isSubjectCaseSensitive: true
    }
    deliveryWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: identityId
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storageAccountId
          queueName: destinationQueue
          // -1: the message never expires; the ingest host decides (poison after 5 dequeues).
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output topicId string = topic.id
output subscriptionName string = toIngestQueue.name
