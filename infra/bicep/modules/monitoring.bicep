// Log Analytics + workspace-based Application Insights. Local (key) auth is off on both: ingestion needs Entra
// tokens, so the apps' OpenTelemetry exporter authenticates with the workload identity (Monitoring Metrics Publisher).

param workspaceName string
param appInsightsName string
param location string
param tags object

@description('Days Log Analytics keeps data (30 is the free-retention tier).')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Principal id of the workload identity that publishes telemetry.')
param identityPrincipalId string

var monitoringMetricsPublisher = subscriptionResourceId(
  'Microsoft.Authorization/roleDefinitions',
  '3913510d-42f4-4e42-8a64-420c390055eb'
)

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: { disableLocalAuth: true }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'other'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityPrincipalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: monitoringMetricsPublisher
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
// Not a credential: with DisableLocalAuth the instrumentation key alone cannot ingest anything.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
