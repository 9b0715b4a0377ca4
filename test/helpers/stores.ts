import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AzureStore, type AzureStoreOptions } from '../../services/storage/azure/store';
import { SqliteStore } from '../../services/storage/sqlite';
import type { DocumentStore } from '../../services/storage/types';
import { startAzurite, type RunningAzurite } from './azurite';

/** A fresh, empty store on one backend, and more instances sharing its data. */
export interface OpenedStore {
  store: DocumentStore;
  /** Another instance over the same data (a second bot process, or the same one restarted). */
  another(): DocumentStore;
  /** Closes every instance and removes the data. */
  cleanUp(): Promise<void>;
  /** The settings a bot process or the command line needs to open the same data. */
  env: Record<string, string>;
}

export interface Backend {
  name: string;
  open(): Promise<OpenedStore>;
}

let azurite: Promise<RunningAzurite> | undefined;

/**
 * One Azurite for the whole test run, started on first use; it stops when the test process exits
 * (see startAzurite). Each store gets tables of its own, so tests do not see each other's data.
 */
export function sharedAzurite(): Promise<RunningAzurite> {
  azurite ??= startAzurite();
  return azurite;
}

export async function openAzureStore(
  options: Partial<AzureStoreOptions> = {},
): Promise<OpenedStore> {
  const { connectionString } = await sharedAzurite();
  const prefix = `t${randomBytes(6).toString('hex')}`;
  const make = () => new AzureStore({ connection: { connectionString }, prefix, ...options });
  const stores: AzureStore[] = [make()];
  await stores[0]!.ping();
  return {
    store: stores[0]!,
    env: {
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: connectionString,
      AZURE_STORAGE_PREFIX: prefix,
    },
    another() {
      const s = make();
      stores.push(s);
      return s;
    },
    async cleanUp() {
      const first = stores[0]!;
      await Promise.all([
        first.docs.deleteTable(),
        first.meta.deleteTable(),
        first.blobs.deleteIfExists(),
      ]).catch(() => undefined);
      for (const s of stores) await s.close();
    },
  };
}

async function openSqliteStore(): Promise<OpenedStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-store-'));
  const file = path.join(dir, 'mfa-bot.db');
  const stores: SqliteStore[] = [new SqliteStore(file)];
  return {
    store: stores[0]!,
    env: { DATA_DIR: dir },
    another() {
      const s = new SqliteStore(file);
      stores.push(s);
      return s;
    },
    async cleanUp() {
      for (const s of stores) await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every backend a contract test runs against. */
export const BACKENDS: readonly Backend[] = [
  { name: 'SQLite', open: openSqliteStore },
  { name: 'Azure', open: () => openAzureStore() },
];

/**
 * Azure with every collection spread over several partitions, as a campaign's outbox is: reads
 * across partitions must give what one partition gives.
 */
export const AZURE_SPREAD: Backend = {
  name: 'Azure, collections spread over 3 partitions',
  open: () => openAzureStore({ spread: () => 3 }),
};
