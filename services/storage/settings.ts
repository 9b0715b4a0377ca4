import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import {
  accountEndpoints,
  connectionStringProblem,
  type AzureConnection,
} from './azure/connection';
import { AzureStore, DEFAULT_PREFIX } from './azure/store';
import { SqliteStore, type JournalMode } from './sqlite';
import type { DocumentStore } from './types';

/**
 * Where the Azure backend keeps its data, read from the environment by the bot (bot/config.ts)
 * and the command line alike, so both open the same tables.
 */
export interface AzureStorageSettings {
  kind: 'azure';
  /** A connection string (an account key or SAS, or Azurite), or the account with an identity. */
  connection:
    | { connectionString: string }
    | {
        tableUrl: string;
        blobUrl: string;
        managedIdentityClientId?: string;
        identity: 'managed' | 'default';
      };
  prefix: string;
}

const PREFIX = /^[A-Za-z][A-Za-z0-9]{2,40}$/;

/**
 * The Azure settings for STORAGE=azure, or the problems with them (each names its variable).
 * `onAppService` picks the managed identity directly instead of trying every credential kind.
 */
export function azureStorageSettings(
  env: NodeJS.ProcessEnv,
  onAppService: boolean,
): { settings?: AzureStorageSettings; problems: string[] } {
  const text = (name: string) => env[name]?.trim() || undefined;
  const connectionString = text('AZURE_STORAGE_CONNECTION_STRING');
  const accountUrl = text('AZURE_STORAGE_ACCOUNT_URL');
  const prefix = text('AZURE_STORAGE_PREFIX') ?? DEFAULT_PREFIX;
  const problems: string[] = [];
  if (!PREFIX.test(prefix)) {
    problems.push(
      'AZURE_STORAGE_PREFIX: must be 3 to 41 letters or digits, starting with a letter (it starts every table name)',
    );
  }
  if (connectionString && accountUrl) {
    problems.push(
      'STORAGE=azure: set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL, not both',
    );
  } else if (!connectionString && !accountUrl) {
    problems.push(
      'STORAGE=azure needs AZURE_STORAGE_ACCOUNT_URL (with a managed identity) or AZURE_STORAGE_CONNECTION_STRING',
    );
  }
  let connection: AzureStorageSettings['connection'] | undefined;
  if (connectionString) {
    const problem = connectionStringProblem(connectionString);
    if (problem) problems.push(`AZURE_STORAGE_CONNECTION_STRING: ${problem}`);
    else connection = { connectionString };
  } else if (accountUrl) {
    const endpoints = accountEndpoints(accountUrl);
    if (!endpoints) {
      problems.push(
        "AZURE_STORAGE_ACCOUNT_URL: must be the account's table or blob URL, e.g. https://<account>.table.core.windows.net",
      );
    } else {
      const clientId = text('AZURE_CLIENT_ID');
      connection = {
        ...endpoints,
        identity: onAppService || clientId ? 'managed' : 'default',
        ...(clientId ? { managedIdentityClientId: clientId } : {}),
      };
    }
  }
  if (problems.length || !connection) return { problems };
  return { settings: { kind: 'azure', connection, prefix }, problems };
}

/** The SDK connection for the settings: a managed identity on Azure, any developer sign-in elsewhere. */
function connectionFor(settings: AzureStorageSettings): AzureConnection {
  const c = settings.connection;
  if ('connectionString' in c) return c;
  const credential =
    c.identity === 'managed'
      ? new ManagedIdentityCredential(
          c.managedIdentityClientId ? { clientId: c.managedIdentityClientId } : {},
        )
      : new DefaultAzureCredential();
  return { tableUrl: c.tableUrl, blobUrl: c.blobUrl, credential };
}

/** Opens the Azure store; `readOnly` for tools that only look (audit verify and export). */
export function openAzureStore(
  settings: AzureStorageSettings,
  options: { readOnly?: boolean } = {},
): AzureStore {
  return new AzureStore({
    connection: connectionFor(settings),
    prefix: settings.prefix,
    readOnly: options.readOnly,
  });
}

/** The store the configuration names: Azure for STORAGE=azure, else the SQLite file in DATA_DIR. */
export function openConfiguredStore(o: {
  dataDir: string;
  journalMode: JournalMode;
  azure?: AzureStorageSettings;
}): DocumentStore {
  if (o.azure) return openAzureStore(o.azure);
  return new SqliteStore(path.join(o.dataDir, 'mfa-bot.db'), undefined, {
    journalMode: o.journalMode,
  });
}
