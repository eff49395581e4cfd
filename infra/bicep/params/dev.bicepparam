// Development: cheapest settings, serverless T4 for the trainer (scales to zero), throw-away Key Vault.
using '../main.bicep'

param environmentName = 'dev'
param storageSku = 'Standard_LRS'
param storageSoftDeleteDays = 7
param logRetentionInDays = 30
param registrySku = 'Basic'
param gpuProfileType = 'Consumption-GPU-NC8as-T4'
param trainerResources = { cpu: '8', memory: '56Gi' }
param maxReplicas = { ingest: 4, captioning: 2, trainer: 1 }
param keyVaultPurgeProtection = false

// Set QLIP_IMAGE_TAG after pushing the images (docs/deploy.md); empty deploys the platform without the apps.
param imageTag = readEnvironmentVariable('QLIP_IMAGE_TAG', '')
param captionEndpoint = readEnvironmentVariable('QLIP_CAPTION_ENDPOINT', '')
param captionModel = readEnvironmentVariable('QLIP_CAPTION_MODEL', '')
// Read from the shell at deploy time, never written to a file; empty keeps the secret already in Key Vault.
param captionApiKey = readEnvironmentVariable('QLIP_CAPTION_API_KEY', '')
