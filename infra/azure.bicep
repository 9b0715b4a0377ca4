// The bot's Azure resources, deployed by `provision` (arm/deploy in m365agents.yml):
// - a Linux App Service that builds the sources `deploy` sends it (npm ci and tsc run there, so the
//   native SQLite addon is compiled for the machine that loads it) and runs `npm start`;
// - a Key Vault holding the bot's client secret, read by the web app's own managed identity;
// - an Azure Bot for the single-tenant Entra app the toolkit created, with the Teams channel;
// - with storage = 'azure', a storage account the web app reaches with its managed identity (no
//   key anywhere), so several instances can share the bot's data.
// Every app setting the bot reads is set here; none is typed into the portal.

@description('Names every resource. Letters and digits; the default is unique to the resource group.')
@minLength(4)
@maxLength(20)
param resourceBaseName string = 'mfabot${uniqueString(resourceGroup().id)}'

param location string = resourceGroup().location

@description('App Service plan size: Basic (B1) or above, which keeps the bot running for reminders and nudges.')
param appServiceSku string = 'B1'

@description('Node.js on Linux App Service: an LTS the bot supports (package.json engines).')
param linuxFxVersion string = 'NODE|22-lts'

@description('Where the bot keeps its data: SQLite under /home (one instance), or an Azure storage account (Table and Blob storage) that several instances share.')
@allowed([
  'sqlite'
  'azure'
])
param storage string = 'sqlite'

@description('Instances of the web app (App Service scale-out). Above 1 only with storage = \'azure\'.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@maxLength(42)
param botDisplayName string = 'MFA Helper'

@description('Client id of the bot\'s single-tenant Entra app.')
@minLength(36)
@maxLength(36)
param botAppId string

@description('The practice\'s Microsoft Entra tenant: the bot\'s home and the only one it serves.')
@minLength(36)
@maxLength(36)
param botTenantId string

@description('The bot app\'s client secret. It goes to Key Vault; the app setting only refers to it.')
@secure()
param botAppPassword string

@description('The key that seals the audit log (at least 32 characters). It goes to Key Vault; the app setting only refers to it.')
@secure()
@minLength(32)
param auditKey string

@description('The practice\'s settings, by the name the bot reads (see env/.env.dev.TEMPLATE).')
param practiceSettings object

var onAzureStorage = storage == 'azure'
// SQLite has one writer: more instances than one need the storage account.
var instances = onAzureStorage ? instanceCount : 1

// Platform settings: build on the service, keep data under /home, one start command; with the
// storage account, where it is (the web app's identity signs in to it, see below).
var platformSettings = union(
  loadJsonContent('app-settings.json'),
  onAzureStorage
    ? {
        STORAGE: 'azure'
        AZURE_STORAGE_ACCOUNT_URL: 'https://${storageAccountName}.table.${environment().suffixes.storage}'
      }
    : {}
)

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instances
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      appCommandLine: 'npm start'
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // SQLite in /home has one writer: one instance unless the data is in the storage account
      // (see the README on several instances).
      numberOfWorkers: instances
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv${resourceBaseName}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bot-app-password'
  properties: {
    value: botAppPassword
    contentType: 'Client secret of the bot Entra app'
  }
}

resource auditKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'audit-key'
  properties: {
    value: auditKey
    contentType: 'Key that seals the MFA Helper audit log'
  }
}

// Key Vault Secrets User, on these secrets only, for the web app's identity.
var keyVaultSecretsUser = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

resource webAppReadsBotPassword 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: botPasswordSecret
  name: guid(botPasswordSecret.id, webApp.id, keyVaultSecretsUser)
  properties: {
    roleDefinitionId: keyVaultSecretsUser
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource webAppReadsAuditKey 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: auditKeySecret
  name: guid(auditKeySecret.id, webApp.id, keyVaultSecretsUser)
  properties: {
    roleDefinitionId: keyVaultSecretsUser
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// The bot's data for several instances: tables for documents, blobs for what a table row cannot
// hold. Shared keys are off, so the only way in is Entra ID: the web app's identity below.
var storageAccountName = take('st${toLower(resourceBaseName)}', 24)

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = if (onAzureStorage) {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

// Storage Table Data Contributor and Storage Blob Data Contributor, on this account only.
var tableDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
var blobDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')

resource webAppWritesTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (onAzureStorage) {
  scope: storageAccount
  name: guid(storageAccountName, webApp.id, tableDataContributor)
  properties: {
    roleDefinitionId: tableDataContributor
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource webAppWritesBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (onAzureStorage) {
  scope: storageAccount
  name: guid(storageAccountName, webApp.id, blobDataContributor)
  properties: {
    roleDefinitionId: blobDataContributor
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// The bot registration and secrets come last, so practiceSettings cannot replace them. The tab's
// Application ID URI is the one aad.manifest.json gives the app; it is made here because the host
// name (BOT_DOMAIN) is only known once this template has run, after the parameters were filled.
var appSettings = union(practiceSettings, platformSettings, {
  MicrosoftAppId: botAppId
  MicrosoftAppTenantId: botTenantId
  MicrosoftAppType: 'SingleTenant'
  MicrosoftAppPassword: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${botPasswordSecret.name})'
  AUDIT_KEY: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${auditKeySecret.name})'
  TAB_SSO_RESOURCE: 'api://${webApp.properties.defaultHostName}/${botAppId}'
})

resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: appSettings
  dependsOn: [
    webAppReadsBotPassword
    webAppReadsAuditKey
    webAppWritesTables
    webAppWritesBlobs
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppTenantId: botTenantId
    msaAppType: 'SingleTenant'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Written to env/.env.<environment> by the toolkit.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
