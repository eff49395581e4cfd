// Qlip on Azure: storage (blobs, queues, tables) fed by Event Grid, queue functions scaled by KEDA on Container
// Apps, the trainer on a GPU workload profile, one user-assigned identity and no account keys anywhere.
// Deploy into an existing resource group: see docs/deploy.md.
targetScope = 'resourceGroup'

@description('Short environment name used in resource names: dev, prod, …')
@minLength(2)
@maxLength(8)
param environmentName string

param location string = resourceGroup().location

param tags object = {}

@description('Storage redundancy.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = 'Standard_LRS'

@description('Days a deleted blob or container can be restored.')
param storageSoftDeleteDays int = 7

@description('Log Analytics retention.')
param logRetentionInDays int = 30

@allowed(['Basic', 'Standard', 'Premium'])
param registrySku string = 'Basic'

@description('GPU workload profile type for the trainer; empty runs the trainer on the Consumption (CPU) profile.')
@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100', 'NC24-A100', 'NC48-A100', 'NC96-A100', ''])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Node cap of a dedicated GPU profile (ignored for serverless GPU).')
param gpuDedicatedMaxNodes int = 1

@description('Image tag of the three hosts in the registry. Empty deploys the platform only (first run: push images, then deploy again with the tag).')
param imageTag string = ''

@description('Replica caps per host.')
param maxReplicas { ingest: int, captioning: int, trainer: int } = { ingest: 10, captioning: 5, trainer: 1 }

@description('CPU/memory per trainer replica; must match the GPU profile (T4: 8 vCPU / 56Gi, A100 serverless: 24 / 220Gi).')
param trainerResources { cpu: string, memory: string } = { cpu: '8', memory: '56Gi' }

@description('OpenAI-compatible captioning endpoint (base URL) and model.')
param captionEndpoint string = ''
param captionModel string = ''

@secure()
@description('API key of the captioning endpoint, stored in Key Vault. Empty keeps the secret already in the vault.')
param captionApiKey string = ''

@description('true for prod: purge protection can never be turned off again.')
param keyVaultPurgeProtection bool = false

// One source of truth: names.json mirrors Qlip.Shared.Storage.StorageNames (a test keeps them identical).
var names = loadJsonContent('names.json')
var workQueues = names.queues
var poisonQueues = [for queue in workQueues: '${queue}${names.poisonSuffix}']
var queue = {
  ingest: workQueues[0]
  caption: workQueues[1]
  tokenize: workQueues[2]
  trainRuns: workQueues[3]
}
var incomingContainer = names.containers[0]

var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var prefix = 'qlip-${environmentName}'
var allTags = union({ app: 'qlip', environment: environmentName }, tags)
var captionApiKeySecretName = 'caption-api-key'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${prefix}'
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${prefix}'
    appInsightsName: 'appi-${prefix}'
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    identityPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('stqlip${environmentName}${suffix}', 24)
    location: location
    tags: allTags
    skuName: storageSku
    containers: names.containers
    queues: concat(workQueues, poisonQueues)
    tables: names.tables
    softDeleteDays: storageSoftDeleteDays
    identityPrincipalId: identity.outputs.principalId
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    name: 'evgt-${prefix}-storage'
    location: location
    tags: allTags
    storageAccountId: storage.outputs.id
    sourceContainer: incomingContainer
    destinationQueue: queue.ingest
    identityId: identity.outputs.id
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('kv-${prefix}-${suffix}', 24)
    location: location
    tags: allTags
    identityPrincipalId: identity.outputs.principalId
    captionApiKeySecretName: captionApiKeySecretName
    captionApiKey: captionApiKey
    enablePurgeProtection: keyVaultPurgeProtection
    softDeleteRetentionInDays: keyVaultPurgeProtection ? 90 : 7
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    name: take('crqlip${environmentName}${suffix}', 50)
    location: location
    tags: allTags
    skuName: registrySku
    identityPrincipalId: identity.outputs.principalId
  }
}

module environment 'modules/containerAppsEnvironment.bicep' = {
  name: 'containerapps-environment'
  params: {
    name: 'cae-${prefix}'
    location: location
    tags: allTags
    workspaceId: monitoring.outputs.workspaceId
    gpuProfileName: gpuProfileName
    gpuProfileType: gpuProfileType
    gpuDedicatedMaxNodes: gpuDedicatedMaxNodes
  }
}

// What every host reads: keyless service URIs + the identity DefaultAzureCredential should pick.
var commonEnv = [
  { name: 'Storage__BlobServiceUri', value: storage.outputs.blobServiceUri }
  { name: 'Storage__QueueServiceUri', value: storage.outputs.queueServiceUri }
  { name: 'Storage__TableServiceUri', value: storage.outputs.tableServiceUri }
  { name: 'AZURE_CLIENT_ID', value: identity.outputs.clientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: monitoring.outputs.appInsightsConnectionString }
  { name: 'DOTNET_ENVIRONMENT', value: environmentName == 'prod' ? 'Production' : 'Development' }
  // QueueWorkerOptions: an idle replica polls at most every 30 s (the 2 s default suits local development);
  // KEDA wakes a scaled-in app anyway, and a woken worker starts polling fast.
  { name: 'Queues__MaxPollingInterval', value: '00:00:30' }
]

var deployApps = !empty(imageTag)
var gpuProfileName = 'gpu'

// Static per-host settings (a for-expression needs values known at the start of the deployment).
var apps = [
  {
    name: 'ca-${prefix}-ingest'
    image: 'qlip-ingest'
    onGpu: false
    // The queue-function host takes batches of 16: one replica per full batch.
    queues: [{ name: queue.ingest, messagesPerReplica: 16 }]
    maxReplicas: maxReplicas.ingest
    resources: { cpu: '1', memory: '2Gi' }
    gracePeriod: 60
    usesCaptionKey: false
  }
  {
    name: 'ca-${prefix}-captioning'
    image: 'qlip-captioning'
    onGpu: false
    queues: [{ name: queue.caption, messagesPerReplica: 4 }]
    maxReplicas: maxReplicas.captioning
    resources: { cpu: '1', memory: '2Gi' }
    gracePeriod: 60
    usesCaptionKey: true
  }
  {
    name: 'ca-${prefix}-trainer'
    image: 'qlip-trainerhost'
    onGpu: true
    // One run per replica (a GPU is never shared between runs). Tokenization runs where the model is loaded, so
    // the trainer host also drains the tokenize queue (one shard per message, cheap next to a run).
    queues: [{ name: queue.trainRuns, messagesPerReplica: 1 }, { name: queue.tokenize, messagesPerReplica: 64 }]
    maxReplicas: maxReplicas.trainer
    resources: trainerResources
    // Scale-in or a new revision: long enough to write a checkpoint, so a resumed run loses little.
    gracePeriod: 300
    usesCaptionKey: false
  }
]

var captionEnv = [
  { name: 'Captioning__Endpoint', value: captionEndpoint }
  { name: 'Captioning__Model', value: captionModel }
  { name: 'Captioning__ApiKey', secretRef: captionApiKeySecretName }
]

// Referencing the modules' outputs orders each app after AcrPull, the storage data roles and Key Vault Secrets
// User are granted, so the first revision can pull, read its secret and scale.
module queueApps 'modules/queueApp.bicep' = [
  for app in apps: if (deployApps) {
    name: app.name
    params: {
      name: app.name
      location: location
      tags: allTags
      environmentId: environment.outputs.id
      workloadProfileName: app.onGpu && !empty(gpuProfileType) ? gpuProfileName : 'Consumption'
      image: '${registry.outputs.loginServer}/${app.image}:${imageTag}'
      registryServer: registry.outputs.loginServer
      identityId: identity.outputs.id
      storageAccountName: storage.outputs.name
      queues: app.queues
      minReplicas: 0
      maxReplicas: app.maxReplicas
      cpu: app.resources.cpu
      memory: app.resources.memory
      terminationGracePeriodSeconds: app.gracePeriod
      env: concat(
        commonEnv,
        // The Generic Host's stop budget, inside the platform's grace period (SIGTERM → SIGKILL).
        [{ name: 'DOTNET_shutdownTimeoutSeconds', value: string(app.gracePeriod - 10) }],
        app.usesCaptionKey ? captionEnv : []
      )
      keyVaultSecrets: app.usesCaptionKey
        ? [{ name: captionApiKeySecretName, keyVaultUrl: keyVault.outputs.captionApiKeySecretUri }]
        : []
    }
  }
]

output storageAccountName string = storage.outputs.name
output blobServiceUri string = storage.outputs.blobServiceUri
output queueServiceUri string = storage.outputs.queueServiceUri
output tableServiceUri string = storage.outputs.tableServiceUri
output containers string[] = names.containers
output queues string[] = workQueues
output poisonQueues string[] = poisonQueues
output tables string[] = names.tables
output identityClientId string = identity.outputs.clientId
output identityId string = identity.outputs.id
output registryLoginServer string = registry.outputs.loginServer
output keyVaultName string = keyVault.outputs.name
output containerAppsEnvironment string = environment.outputs.name
output apps string[] = [for app in apps: app.name]
