// Workload-profiles Container Apps environment: the default Consumption profile for the queue functions and one
// GPU profile for the trainer. Logs go to Log Analytics through a diagnostic setting ('azure-monitor'
// destination), so the environment never needs the workspace's shared key.

param name string
param location string
param tags object
param workspaceId string

@description('Name the apps use to pick the GPU profile.')
param gpuProfileName string

@description('''GPU workload profile type. Serverless (scale to zero, billed per second while a replica runs):
Consumption-GPU-NC8as-T4, Consumption-GPU-NC24-A100. Dedicated (billed per node while a node is up; add only when
the environment is created): NC24-A100, NC48-A100, NC96-A100. Empty: no GPU profile, the trainer runs on CPU.''')
@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100', 'NC24-A100', 'NC48-A100', 'NC96-A100', ''])
param gpuProfileType string

@description('Node limits for a dedicated GPU profile (ignored for the serverless ones).')
@minValue(0)
param gpuDedicatedMaxNodes int

var isDedicatedGpu = !empty(gpuProfileType) && !startsWith(gpuProfileType, 'Consumption')

var consumptionProfile = { name: 'Consumption', workloadProfileType: 'Consumption' }
var gpuProfile = isDedicatedGpu
  ? { name: gpuProfileName, workloadProfileType: gpuProfileType, minimumCount: 0, maximumCount: gpuDedicatedMaxNodes }
  : { name: gpuProfileName, workloadProfileType: gpuProfileType }

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: { destination: 'azure-monitor' }
    workloadProfiles: empty(gpuProfileType) ? [consumptionProfile] : [consumptionProfile, gpuProfile]
    zoneRedundant: false
  }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output id string = environment.id
output name string = environment.name
