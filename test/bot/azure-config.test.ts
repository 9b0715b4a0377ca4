import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, storageSettings } from '../../bot/config';
import { AzureStore } from '../../services/storage/azure/store';
import { openConfiguredStore } from '../../services/storage/settings';
import { SqliteStore } from '../../services/storage/sqlite';

const GUID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const APP_SERVICE = { WEBSITE_SITE_NAME: 'mfa-bot-riverbend', WEBSITE_INSTANCE_ID: 'a1b2c3' };
const PRODUCTION = {
  MicrosoftAppId: GUID(1),
  MicrosoftAppPassword: 'secret-value',
  MicrosoftAppTenantId: GUID(2),
  IT_GROUP_ID: GUID(3),
  ADMIN_GROUP_ID: GUID(4),
  IT_PHONE: '555-0100',
  MAIL_SENDER: 'it@practice.example',
  AUDIT_KEY: 'k'.repeat(44),
};
const ACCOUNT_URL = 'https://riverbendmfa.table.core.windows.net';
const AZURITE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=eA==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1';

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  return assert.fail('expected the configuration to be refused');
}

describe('configuration: STORAGE=azure', () => {
  it('keeps SQLite unless told otherwise', () => {
    assert.equal(loadConfig({}).azureStorage, undefined);
    assert.equal(storageSettings({}).azure, undefined);
  });

  it('reaches the account with the managed identity on App Service, without the single-instance warning', () => {
    const c = loadConfig({
      ...APP_SERVICE,
      ...PRODUCTION,
      STORAGE: 'azure',
      AZURE_STORAGE_ACCOUNT_URL: ACCOUNT_URL,
    });
    assert.deepEqual(c.azureStorage, {
      kind: 'azure',
      connection: {
        tableUrl: ACCOUNT_URL,
        blobUrl: 'https://riverbendmfa.blob.core.windows.net',
        identity: 'managed',
      },
      prefix: 'mfabot',
    });
    assert.deepEqual(c.startupWarnings, [], 'several instances are fine on Azure storage');
    const userAssigned = loadConfig({
      ...APP_SERVICE,
      ...PRODUCTION,
      STORAGE: 'azure',
      AZURE_STORAGE_ACCOUNT_URL: ACCOUNT_URL,
      AZURE_CLIENT_ID: GUID(9),
    });
    assert.deepEqual(userAssigned.azureStorage?.connection, {
      tableUrl: ACCOUNT_URL,
      blobUrl: 'https://riverbendmfa.blob.core.windows.net',
      identity: 'managed',
      managedIdentityClientId: GUID(9),
    });
    const elsewhere = loadConfig({
      ...PRODUCTION,
      STORAGE: 'azure',
      AZURE_STORAGE_ACCOUNT_URL: ACCOUNT_URL,
    });
    assert.equal(
      (elsewhere.azureStorage?.connection as { identity: string }).identity,
      'default',
      'a developer sign-in off Azure',
    );
  });

  it('names what is missing or wrong, in production and in the demo alike', () => {
    assert.match(
      refusal({ ...PRODUCTION, STORAGE: 'azure' }),
      /STORAGE=azure needs AZURE_STORAGE_ACCOUNT_URL .* or AZURE_STORAGE_CONNECTION_STRING/,
    );
    assert.match(
      refusal({ STORAGE: 'azure' }),
      /STORAGE=azure needs/,
      'the demo does not fall back to SQLite',
    );
    assert.match(
      refusal({
        STORAGE: 'azure',
        AZURE_STORAGE_ACCOUNT_URL: ACCOUNT_URL,
        AZURE_STORAGE_CONNECTION_STRING: AZURITE,
      }),
      /not both/,
    );
    assert.match(
      refusal({
        STORAGE: 'azure',
        AZURE_STORAGE_ACCOUNT_URL: 'http://riverbendmfa.table.core.windows.net',
      }),
      /AZURE_STORAGE_ACCOUNT_URL: must be/,
    );
    assert.match(
      refusal({
        STORAGE: 'azure',
        AZURE_STORAGE_CONNECTION_STRING: AZURITE.replaceAll('127.0.0.1', '10.1.2.3'),
      }),
      /AZURE_STORAGE_CONNECTION_STRING: must use https/,
    );
    assert.match(
      refusal({
        STORAGE: 'azure',
        AZURE_STORAGE_CONNECTION_STRING: AZURITE,
        AZURE_STORAGE_PREFIX: 'mfa-bot',
      }),
      /AZURE_STORAGE_PREFIX/,
    );
    assert.match(refusal({ STORAGE: 'cosmos' }), /STORAGE/);
  });

  it('refuses a connection string App Service could not read from Key Vault', () => {
    assert.match(
      refusal({
        ...APP_SERVICE,
        ...PRODUCTION,
        STORAGE: 'azure',
        AZURE_STORAGE_CONNECTION_STRING:
          '@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/storage)',
      }),
      /AZURE_STORAGE_CONNECTION_STRING: App Service could not read it from Key Vault/,
    );
  });

  it('opens the store the configuration names', async () => {
    const azure = loadConfig({
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: AZURITE,
      AZURE_STORAGE_PREFIX: 'practice7',
    });
    const store = openConfiguredStore({
      dataDir: azure.dataDir,
      journalMode: azure.sqliteJournalMode,
      azure: azure.azureStorage,
    });
    assert.ok(store instanceof AzureStore);
    assert.equal(store.docs.tableName, 'practice7docs');
    assert.equal(store.blobs.containerName, 'practice7-docs');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-config-'));
    const sqlite = openConfiguredStore({ dataDir: dir, journalMode: 'wal' });
    assert.ok(sqlite instanceof SqliteStore);
    assert.equal(sqlite.file, path.join(dir, 'mfa-bot.db'));
    await sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
