import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';

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
];

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
