// Key Vault in RBAC mode for the captioning endpoint's API key. The container app references the secret by URL
// and reads it as the workload identity (Key Vault Secrets User); no access policies, no copies of the value.

param name string
param location string
param tags object

@description('Principal id of the workload identity.')
param identityPrincipalId string

@description('Name of the secret that holds the captioning endpoint API key.')
param captionApiKeySecretName string

@secure()
@description('The API key. Empty leaves the secret as it is (set it once with az keyvault secret set, or pass it on the first deployment).')
param captionApiKey string

@description('Purge protection cannot be turned off again once on: true for prod, false for throw-away dev vaults.')
param enablePurgeProtection bool

@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

var secretsUser = subscriptionResourceId(
  'Microsoft.Authorization/roleDefinitions',
  '4633458b-17de-408a-b874-0445c86b69e6'
)

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The API rejects an explicit false: omit the property instead.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource captionKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(captionApiKey)) {
  parent: vault
  name: captionApiKeySecretName
  properties: {
    value: captionApiKey
    contentType: 'text/plain'
  }
}

resource secretsUserAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityPrincipalId, secretsUser)
  scope: vault
  properties: {
    roleDefinitionId: secretsUser
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output id string = vault.id
output name string = vault.name
output vaultUri string = vault.properties.vaultUri
// Versionless, so Container Apps picks up a rotated key on its periodic refresh.
output captionApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${captionApiKeySecretName}'
