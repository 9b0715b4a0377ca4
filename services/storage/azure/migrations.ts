import { randomUUID } from 'node:crypto';
import {
  odata,
  type TableClient,
  type TableEntityResult,
  type TransactionAction,
} from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';
import type { DocProps } from './entity';
import { docRange, indexRowKey } from './keys';
import { Partitions, SPREAD } from './partitions';

/** What a migration may change: the documents table and the blob container beside it. */
export interface AzureTargets {
  docs: TableClient;
  blobs: ContainerClient;
}

/**
 * Numbered changes, applied in order at start and recorded in the meta table, like the SQLite
 * migrations. Several instances may start at once: one holds the migration lock while the
 * others wait, and each change must still be safe to run again (a holder may die half-way).
 */
export interface AzureMigration {
  version: number;
  name: string;
  up(targets: AzureTargets): Promise<void>;
}

export const AZURE_MIGRATIONS: readonly AzureMigration[] = [
  {
    version: 1,
    name: 'documents',
    async up({ docs, blobs }) {
      await docs.createTable();
      await blobs.createIfNotExists();
    },
  },
  {
    version: 2,
    name: 'outbox and saved chats spread over partitions',
    async up({ docs }) {
      for (const collection of Object.keys(SPREAD)) await spreadOut(docs, collection);
    },
  },
];

/** Rows moved per page while spreading a collection out. */
const MOVE_PAGE = 100;

/**
 * Moves a collection's documents from its one partition into the partitions it is now spread
 * over (partitions.ts), each with its index row and its eTag, so nothing a reader held goes
 * stale. A document is written in its new place before its old rows go; an old row that changed
 * meanwhile (an instance still running the earlier version) stays and is moved again.
 */
async function spreadOut(docs: TableClient, collection: string): Promise<void> {
  const partitions = new Partitions();
  if (partitions.all(collection).includes(collection)) return;
  const range = docRange();
  const oldRows = (filter: string) =>
    docs
      .listEntities<DocProps>({ queryOptions: { filter } })
      .byPage({ maxPageSize: MOVE_PAGE })
      .next();
  for (;;) {
    const page = await oldRows(
      odata`PartitionKey eq ${collection} and RowKey ge ${range.from} and RowKey lt ${range.before}`,
    );
    if (page.done || page.value.length === 0) break;
    // A page's documents move side by side: each is its own rows, and there may be thousands.
    await Promise.all(page.value.map((row) => moveDocument(docs, partitions, collection, row)));
  }
  // What is left are index rows whose document had already gone.
  for (;;) {
    const page = await oldRows(odata`PartitionKey eq ${collection}`);
    if (page.done || page.value.length === 0) break;
    await Promise.all(page.value.map((row) => dropRow(docs, collection, row.rowKey!)));
  }
}

async function moveDocument(
  docs: TableClient,
  partitions: Partitions,
  collection: string,
  row: TableEntityResult<DocProps>,
): Promise<void> {
  const { etag, partitionKey: _from, rowKey, timestamp: _at, ...props } = row;
  const partitionKey = partitions.of(collection, props.k);
  const moved = { ...props, partitionKey, rowKey: rowKey! };
  const actions: TransactionAction[] = [['upsert', moved, 'Replace']];
  if (props.x !== undefined && !props.gone)
    actions.push(['upsert', { ...moved, rowKey: indexRowKey(props.x, props.k) }, 'Replace']);
  await docs.submitTransaction(actions);
  if (props.x !== undefined) await dropRow(docs, collection, indexRowKey(props.x, props.k));
  await docs.deleteEntity(collection, rowKey!, { etag }).catch((err: unknown) => {
    // Gone already (moved by an instance that died half-way), or changed: moved again next page.
    if (status(err) !== 404 && status(err) !== 412) throw err;
  });
}

async function dropRow(docs: TableClient, partitionKey: string, rowKey: string): Promise<void> {
  await docs.deleteEntity(partitionKey, rowKey).catch((err: unknown) => {
    if (status(err) !== 404) throw err;
  });
}

const PARTITION = 'migrations';
const LOCK = 'lock';
/** A holder that died frees the lock after this long. */
const LOCK_MS = 60_000;
const WAIT_MS = 250;

interface LockRow {
  owner: string;
  until: number;
}

/** Applies the migrations not yet recorded in `meta`; returns the versions it applied. */
export async function migrateAzure(
  meta: TableClient,
  targets: AzureTargets,
  migrations: readonly AzureMigration[] = AZURE_MIGRATIONS,
): Promise<number[]> {
  await meta.createTable();
  const pending = async () => {
    const applied = new Set<number>();
    for await (const row of meta.listEntities({
      queryOptions: { filter: `PartitionKey eq '${PARTITION}'` },
    })) {
      if (row.rowKey !== LOCK) applied.add(Number(row.rowKey));
    }
    return [...migrations]
      .sort((a, b) => a.version - b.version)
      .filter((m) => !applied.has(m.version));
  };
  if ((await pending()).length === 0) return [];
  const release = await lock(meta);
  try {
    const ran: number[] = [];
    for (const m of await pending()) {
      await m.up(targets);
      await meta
        .createEntity({
          partitionKey: PARTITION,
          rowKey: String(m.version).padStart(6, '0'),
          name: m.name,
          appliedAt: new Date().toISOString(),
        })
        .catch((err: unknown) => {
          if (status(err) !== 409) throw err;
        });
      ran.push(m.version);
    }
    return ran;
  } finally {
    await release();
  }
}

/** Takes the migration lock (waiting for a live holder, taking over from a dead one). */
async function lock(meta: TableClient): Promise<() => Promise<void>> {
  const owner = randomUUID();
  const deadline = Date.now() + 2 * LOCK_MS;
  while (Date.now() < deadline) {
    const mine = { partitionKey: PARTITION, rowKey: LOCK, owner, until: Date.now() + LOCK_MS };
    let etag: string | undefined;
    try {
      etag = (await meta.createEntity(mine)).etag;
    } catch (err) {
      if (status(err) !== 409) throw err;
      const held = await meta.getEntity<LockRow>(PARTITION, LOCK).catch((e: unknown) => {
        if (status(e) === 404) return undefined;
        throw e;
      });
      if (held && held.until < Date.now()) {
        etag = await meta.updateEntity(mine, 'Replace', { etag: held.etag }).then(
          (r) => r.etag,
          (e: unknown) => {
            if (status(e) === 412 || status(e) === 404) return undefined;
            throw e;
          },
        );
      }
    }
    if (etag) {
      const held = etag;
      return async () => {
        await meta.deleteEntity(PARTITION, LOCK, { etag: held }).catch(() => undefined);
      };
    }
    await new Promise((r) => setTimeout(r, WAIT_MS));
  }
  throw new Error('another instance has held the storage migration lock for too long');
}

export function status(err: unknown): number | undefined {
  return (err as { statusCode?: number } | undefined)?.statusCode;
}
