// Production: zone-redundant storage, serverless A100 for the trainer, purge-protected Key Vault.
using '../main.bicep'

param environmentName = 'prod'
param storageSku = 'Standard_ZRS'
param storageSoftDeleteDays = 30
param logRetentionInDays = 90
param registrySku = 'Standard'
param gpuProfileType = 'Consumption-GPU-NC24-A100'
param trainerResources = { cpu: '24', memory: '220Gi' }
param maxReplicas = { ingest: 20, captioning: 10, trainer: 2 }
param keyVaultPurgeProtection = true
param tags = { costCenter: 'qlip' }

param imageTag = readEnvironmentVariable('QLIP_IMAGE_TAG', '')
param captionEndpoint = readEnvironmentVariable('QLIP_CAPTION_ENDPOINT', '')
param captionModel = readEnvironmentVariable('QLIP_CAPTION_MODEL', '')
param captionApiKey = readEnvironmentVariable('QLIP_CAPTION_API_KEY', '')
