// The bot's Azure resources, deployed by `provision` (arm/deploy in m365agents.yml):
// - a Linux App Service that builds the sources `deploy` sends it (npm ci and tsc run there, so the
//   native SQLite addon is compiled for the machine that loads it) and runs `npm start`;
// - a Key Vault holding the bot's client secret, read by the web app's own managed identity;
// - an Azure Bot for the single-tenant Entra app the toolkit created, with the Teams channel.
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

// Platform settings: build on the service, keep data under /home, one start command.
var platformSettings = loadJsonContent('app-settings.json')

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
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
      // SQLite in /home has one writer: one instance (see the README on scaling out).
      numberOfWorkers: 1
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
