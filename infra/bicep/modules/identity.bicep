// The one user-assigned identity every workload, the KEDA scalers, Event Grid delivery and image pulls run as.
// Role assignments live next to the resource they grant access to (storage.bicep, keyvault.bicep, …).

@description('Name of the user-assigned managed identity.')
param name string

param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
