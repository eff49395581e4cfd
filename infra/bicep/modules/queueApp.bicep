// One queue-driven host (Qlip.Ingest, Qlip.Captioning or Qlip.TrainerHost): no ingress, 0..N replicas by the
// length of its work queues (KEDA azure-queue scaler), authenticated everywhere as the user-assigned identity.

param name string
param location string
param tags object
param environmentId string

@description('Workload profile to run on (Consumption, or the GPU profile for the trainer).')
param workloadProfileName string

@description('Full image reference, e.g. myacr.azurecr.io/qlip-ingest:1.0.0.')
param image string
param registryServer string

@description('Resource id of the user-assigned identity (image pull, Key Vault references, KEDA, the code).')
param identityId string

param storageAccountName string

@description('Work queues, one scale rule each; KEDA runs ceil(length / messagesPerReplica) replicas for the busiest.')
param queues { name: string, messagesPerReplica: int }[]

@minValue(0)
param minReplicas int

@minValue(1)
@maxValue(1000)
param maxReplicas int

@description('vCPUs per replica (must be a valid combination with memory for the workload profile).')
param cpu string
param memory string

@description('Seconds between SIGTERM and SIGKILL when a replica scales in: time to finish a batch or write a checkpoint.')
@minValue(0)
@maxValue(600)
param terminationGracePeriodSeconds int

@description('Environment variables: { name, value } or { name, secretRef }.')
param env object[]

@description('Key Vault references: { name, keyVaultUrl }; read with the user-assigned identity.')
param keyVaultSecrets object[]

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: workloadProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [{ server: registryServer, identity: identityId }]
      secrets: [
        for secret in keyVaultSecrets: { name: secret.name, keyVaultUrl: secret.keyVaultUrl, identity: identityId }
      ]
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: name
          image: image
          resources: { cpu: json(cpu), memory: memory }
          env: env
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        // Scale-in waits this long after the queue is empty (leased messages still count: KEDA's default
        // queueLengthStrategy 'all' includes invisible ones, so a running job keeps its replica).
        cooldownPeriod: 300
        pollingInterval: 30
        rules: [
          for queue in queues: {
            name: '${queue.name}-length'
            azureQueue: {
              accountName: storageAccountName
              queueName: queue.name
              queueLength: queue.messagesPerReplica
              identity: identityId
            }
          }
        ]
      }
    }
  }
}

output id string = app.id
output name string = app.name
