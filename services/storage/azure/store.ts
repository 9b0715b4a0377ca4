import { randomBytes, randomUUID } from 'node:crypto';
import {
  odata,
  TableClient,
  type TableEntityResult,
  type TransactionAction,
} from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import {
  ConflictError,
  StorageError,
  type DocumentStore,
  type NewDoc,
  type PutOptions,
  type QueryOptions,
  type ScanOptions,
  type StoredDoc,
} from '../types';
import { isLocalEmulator, type AzureConnection } from './connection';
import {
  DEFAULT_INLINE_LIMIT_CHARS,
  entitySize,
  joinValue,
  MAX_ENTITY_BYTES,
  splitValue,
  type DocProps,
} from './entity';
import { docRange, docRowKey, indexRange, indexRowKey } from './keys';
import { AZURE_MIGRATIONS, migrateAzure, status, type AzureMigration } from './migrations';
import { KnownRows, type KnownRow } from './known-rows';
import { mergeByRowKey, Partitions, type Spread } from './partitions';

/**
 * The document store on Azure Table storage, for several bot instances sharing one account.
 *
 * Layout: one table of documents, one partition per collection (a few large collections are
 * spread over several, see partitions.ts). Each document is a row
 * ("d" + its encoded key) and, when it has an index string, a second row ("i" + encoded index +
 * encoded key) carrying the same properties, so a range query is one ordered scan of the index
 * rows and needs no second read. Both rows sit in one partition, so every write changes them in
 * one entity-group transaction: a query never sees a document twice or not at all because a
 * write was half done. Keys are encoded so rows sort as SQLite sorts keys (see keys.ts).
 *
 * Concurrency: our eTag (`ver`) is stored in the row. Every write checks the caller's condition
 * against `ver` as the row was last read (or as this instance last wrote it, see known-rows.ts),
 * then commits under the row's Azure ETag; if any other write came between, the transaction
 * fails as a whole and the write is checked again.
 * There is no unconditional write: '*' only means "whatever is there now", re-read each try.
 * A transaction cannot delete conditionally, so deleting an indexed document first turns its
 * row into a tombstone under the ETag (the index row goes in the same transaction), then
 * removes the tombstone.
 *
 * Values longer than the inline limit go to Blob Storage under a fresh name per version,
 * written before the rows that point to it and removed after they stop pointing to it; a reader
 * that finds a blob already gone reads the document again.
 */

export interface AzureStoreOptions {
  connection: AzureConnection;
  /** Starts the table and container names; several practices may share one account. */
  prefix?: string;
  migrations?: readonly AzureMigration[];
  /** Values longer than this, in UTF-16 code units as Azure counts, are kept in Blob Storage. */
  inlineLimitChars?: number;
  /** For tools that only look (audit verify): no migrations, and every write is refused. */
  readOnly?: boolean;
  /**
   * Over how many partitions each collection is spread (partitions.ts). Part of the stored
   * layout: the default is the only one the migrations keep; tests spread every collection.
   */
  spread?: Spread;
}

export const DEFAULT_PREFIX = 'mfabot';
const PREFIX = /^[A-Za-z][A-Za-z0-9]{2,40}$/;
/** Tries of a write whose read was overtaken by another write, before giving up. */
const MAX_ATTEMPTS = 100;
const PAGE = 1000;
/** Document rows remembered (versions and ETags, no values): a large campaign's outbox. */
const KNOWN_ROWS = 10_000;
/** Documents per transaction in `addAll`: each brings its index row, and Azure takes 100 rows. */
const ADD_BATCH_DOCS = 50;
/** Value characters per transaction in `addAll`, well under Azure's 4 MiB for one request. */
const ADD_BATCH_CHARS = 400_000;
/** Transactions of `addAll` in flight at once. */
const ADD_WIDTH = 8;

interface Row {
  props: DocProps;
  /** The row's Azure ETag. */
  etag: string;
}

type Entity = DocProps & { partitionKey: string; rowKey: string };

export class AzureStore implements DocumentStore {
  readonly docs: TableClient;
  readonly meta: TableClient;
  readonly blobs: ContainerClient;
  private readonly migrations: readonly AzureMigration[];
  private readonly inlineLimit: number;
  private readonly readOnly: boolean;
  private readonly partitions: Partitions;
  private readonly known = new KnownRows(KNOWN_ROWS);
  private ready: Promise<void> | undefined;

  constructor(options: AzureStoreOptions) {
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    if (!PREFIX.test(prefix))
      throw new StorageError(
        `storage prefix "${prefix}" must be 3 to 41 letters or digits, starting with a letter`,
      );
    const docsTable = `${prefix}docs`;
    const metaTable = `${prefix}meta`;
    const container = `${prefix.toLowerCase()}-docs`;
    const c = options.connection;
    if ('connectionString' in c) {
      const allowInsecureConnection = isLocalEmulator(c.connectionString);
      this.docs = TableClient.fromConnectionString(c.connectionString, docsTable, {
        allowInsecureConnection,
      });
      this.meta = TableClient.fromConnectionString(c.connectionString, metaTable, {
        allowInsecureConnection,
      });
      this.blobs = BlobServiceClient.fromConnectionString(c.connectionString).getContainerClient(
        container,
      );
    } else {
      this.docs = new TableClient(c.tableUrl, docsTable, c.credential);
      this.meta = new TableClient(c.tableUrl, metaTable, c.credential);
      this.blobs = new BlobServiceClient(c.blobUrl, c.credential).getContainerClient(container);
    }
    this.migrations = options.migrations ?? AZURE_MIGRATIONS;
    this.inlineLimit = options.inlineLimitChars ?? DEFAULT_INLINE_LIMIT_CHARS;
    this.readOnly = options.readOnly ?? false;
    this.partitions = new Partitions(options.spread);
    if (this.readOnly) this.ready = Promise.resolve();
    // Start migrating now; the first call waits for it, and a failure is retried by the next call.
    void this.prepare().catch(() => undefined);
  }

  async get<T>(collection: string, key: string): Promise<StoredDoc<T> | undefined> {
    await this.prepare();
    const partition = this.partitions.of(collection, key);
    const rowKey = docRowKey(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const row = await this.readRow(partition, rowKey);
      if (!row || row.props.gone) return undefined;
      const value = await this.valueOf<T>(row.props);
      if (value) return toDoc(row.props, value.value);
      // Its blob was replaced while we read: read the document again.
    }
    throw new StorageError(`storage failed: ${collection}/${key} kept changing while it was read`);
  }

  async put<T>(
    collection: string,
    key: string,
    value: T,
    options: PutOptions = {},
  ): Promise<string> {
    await this.prepare();
    const partition = this.partitions.of(collection, key);
    const rowKey = docRowKey(key);
    const json = JSON.stringify(value);
    const wanted = options.etag !== undefined && options.etag !== '*' ? options.etag : undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      // First tries skip the read where they can: a new document is created blind (a row already
      // there, the document or a tombstone, fails the create), and a write conditioned on the
      // version this instance last saw uses what it saw. Either way the next try reads.
      const known =
        attempt === 0 && wanted !== undefined && this.known.at(partition, rowKey, wanted);
      const current: KnownRow | undefined =
        attempt === 0 && options.ifAbsent
          ? undefined
          : known || (await this.readRow(partition, rowKey));
      const live = current && !current.props.gone ? current.props : undefined;
      if (live && options.ifAbsent) throw new ConflictError(collection, key);
      if (wanted !== undefined && (live ? live.ver !== wanted : !options.ifAbsent))
        throw new ConflictError(collection, key);
      const index = options.index === undefined ? (live?.x ?? null) : options.index;
      const props = await this.propsFor(collection, key, json, index, nextVer(current?.props.ver));
      const doc: Entity = { partitionKey: partition, rowKey, ...props };
      const actions: TransactionAction[] = [
        current ? ['update', doc, 'Replace', { etag: current.etag }] : ['create', doc],
      ];
      const oldIndex = live?.x;
      if (oldIndex !== undefined && oldIndex !== index) {
        actions.push(['delete', { partitionKey: partition, rowKey: indexRowKey(oldIndex, key) }]);
      }
      if (index !== null) {
        // Unconditional on its own, but the transaction stands or falls with the document row's ETag.
        const entry: Entity = { ...doc, rowKey: indexRowKey(index, key) };
        actions.push(oldIndex === index ? ['update', entry, 'Replace'] : ['create', entry]);
      }
      try {
        const done = await this.docs.submitTransaction(actions);
        this.known.remember(partition, rowKey, props, done.subResponses[0]?.etag);
      } catch (err) {
        this.known.forget(partition, rowKey);
        await this.dropBlob(props.blob);
        if (!lostRace(err)) throw storageError(err);
        await backoff(attempt);
        continue; // someone wrote first: check the condition again against what they wrote
      }
      await this.dropBlob(current?.props.blob);
      return props.ver;
    }
    throw new StorageError(`storage failed: ${collection}/${key} is changed too often to write`);
  }

  async addAll<T>(collection: string, docs: ReadonlyArray<NewDoc<T>>): Promise<number> {
    await this.prepareToWrite();
    // Grouped by partition, since a transaction stays in one, then cut into transactions.
    const byPartition = new Map<string, Array<NewDoc<T> & { json: string }>>();
    const seen = new Set<string>();
    for (const doc of docs) {
      if (seen.has(doc.key)) continue; // the first one is added, as one put after another would
      seen.add(doc.key);
      const partition = this.partitions.of(collection, doc.key);
      const group = byPartition.get(partition) ?? [];
      group.push({ ...doc, json: JSON.stringify(doc.value) });
      byPartition.set(partition, group);
    }
    const batches: Array<{ partition: string; docs: Array<NewDoc<T> & { json: string }> }> = [];
    for (const [partition, group] of byPartition) {
      let batch: Array<NewDoc<T> & { json: string }> = [];
      let chars = 0;
      for (const doc of group) {
        if (
          batch.length >= ADD_BATCH_DOCS ||
          (batch.length && chars + doc.json.length > ADD_BATCH_CHARS)
        ) {
          batches.push({ partition, docs: batch });
          batch = [];
          chars = 0;
        }
        batch.push(doc);
        chars += doc.json.length;
      }
      if (batch.length) batches.push({ partition, docs: batch });
    }
    let added = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(ADD_WIDTH, batches.length) }, async () => {
        while (next < batches.length) {
          const { partition, docs: batch } = batches[next++]!;
          const n = await this.addBatch(collection, partition, batch);
          added += n; // not `added += await`: that would add to the count read before waiting
        }
      }),
    );
    return added;
  }

  /** One transaction of new documents; if any is there already, each is added on its own. */
  private async addBatch<T>(
    collection: string,
    partition: string,
    docs: Array<NewDoc<T> & { json: string }>,
  ): Promise<number> {
    const actions: TransactionAction[] = [];
    const rows: Array<{ row: Entity; action: number }> = [];
    const blobs: string[] = [];
    for (const doc of docs) {
      const index = doc.index ?? null;
      const props = await this.propsFor(collection, doc.key, doc.json, index, nextVer(undefined));
      if (props.blob) blobs.push(props.blob);
      const row: Entity = { partitionKey: partition, rowKey: docRowKey(doc.key), ...props };
      rows.push({ row, action: actions.length });
      actions.push(['create', row]);
      if (index !== null) actions.push(['create', { ...row, rowKey: indexRowKey(index, doc.key) }]);
    }
    try {
      const done = await this.docs.submitTransaction(actions);
      for (const { row, action } of rows)
        this.known.remember(partition, row.rowKey, row, done.subResponses[action]?.etag);
      return docs.length;
    } catch (err) {
      await Promise.all(blobs.map((blob) => this.dropBlob(blob)));
      if (status(err) !== 409) throw storageError(err);
    }
    // A document or a tombstone is there already (a resumed write): the others still go in.
    let added = 0;
    for (const doc of docs) {
      try {
        await this.put(collection, doc.key, doc.value, {
          ifAbsent: true,
          index: doc.index ?? null,
        });
        added += 1;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return added;
  }

  async delete(collection: string, key: string, options: { etag?: string } = {}): Promise<boolean> {
    await this.prepareToWrite();
    const partition = this.partitions.of(collection, key);
    const rowKey = docRowKey(key);
    const wanted = options.etag !== undefined && options.etag !== '*' ? options.etag : undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await this.readRow(partition, rowKey);
      if (!current || current.props.gone) return false;
      if (wanted !== undefined && current.props.ver !== wanted)
        throw new ConflictError(collection, key);
      try {
        if (current.props.x === undefined) {
          await this.docs.deleteEntity(partition, rowKey, { etag: current.etag });
        } else {
          const tombstone: Entity = {
            partitionKey: partition,
            rowKey,
            k: key,
            ver: nextVer(current.props.ver),
            at: now(),
            gone: true,
          };
          const done = await this.docs.submitTransaction([
            ['update', tombstone, 'Replace', { etag: current.etag }],
            ['delete', { partitionKey: partition, rowKey: indexRowKey(current.props.x, key) }],
          ]);
          const tombstoneEtag = done.subResponses[0]?.etag;
          // Best effort: a tombstone left behind reads as absent and is reused by the next write.
          if (tombstoneEtag)
            await this.docs
              .deleteEntity(partition, rowKey, { etag: tombstoneEtag })
              .catch(() => undefined);
        }
      } catch (err) {
        if (!lostRace(err)) throw storageError(err);
        await backoff(attempt);
        continue;
      } finally {
        this.known.forget(partition, rowKey);
      }
      await this.dropBlob(current.props.blob);
      return true;
    }
    throw new StorageError(`storage failed: ${collection}/${key} is changed too often to delete`);
  }

  async query<T>(collection: string, options: QueryOptions = {}): Promise<StoredDoc<T>[]> {
    await this.prepare();
    const rows = await this.matching(collection, options, false);
    return (await this.resolveAll<T>(collection, rows, options)).sort(byIndexThenKey);
  }

  async count(collection: string, options: QueryOptions = {}): Promise<number> {
    await this.prepare();
    return (await this.matching(collection, { ...options, limit: undefined }, true)).length;
  }

  async *scan<T>(collection: string, options: ScanOptions = {}): AsyncIterable<StoredDoc<T>[]> {
    await this.prepare();
    const partitions = this.partitions.all(collection);
    const range = docRange(options.keyPrefix);
    const pageSize = Math.min(PAGE, Math.max(1, Math.floor(options.pageSize ?? 500)));
    // Document rows, in key order: a write replaces its row in place, so none is seen twice.
    const sources = partitions.map((partition) =>
      this.pages(
        odata`PartitionKey eq ${partition} and RowKey ge ${range.from} and RowKey lt ${range.before}`,
        undefined,
        Math.ceil(pageSize / partitions.length),
      ),
    );
    const pages = mergeByRowKey(sources, pageSize);
    for (;;) {
      let page: IteratorResult<Array<TableEntityResult<DocProps>>>;
      try {
        page = await pages.next();
      } catch (err) {
        if (status(err) === 404 && this.readOnly) return;
        throw storageError(err);
      }
      if (page.done) return;
      const live = page.value.filter((props) => !props.gone);
      const docs = await this.resolveAll<T>(collection, live, options);
      if (docs.length) yield docs;
    }
  }

  async ping(): Promise<void> {
    await this.prepare();
    try {
      await this.docs.getEntity('-', 'ping');
    } catch (err) {
      if (status(err) !== 404) throw storageError(err);
    }
  }

  async close(): Promise<void> {
    // The SDK's HTTP connections close by themselves; nothing is held open here.
  }

  private async prepareToWrite(): Promise<void> {
    if (this.readOnly) throw new StorageError('storage failed: this store was opened read-only');
    await this.prepare();
  }

  /** Applies migrations once per process (again after a failure). */
  private prepare(): Promise<void> {
    this.ready ??= migrateAzure(
      this.meta,
      { docs: this.docs, blobs: this.blobs },
      this.migrations,
    ).then(
      () => undefined,
      (err: unknown) => {
        this.ready = undefined;
        throw new StorageError(
          `cannot prepare Azure storage: ${(err as Error).message}`,
          safeCause(err),
        );
      },
    );
    return this.ready;
  }

  private async readRow(partition: string, rowKey: string): Promise<Row | undefined> {
    try {
      const entity = await this.docs.getEntity<DocProps>(partition, rowKey);
      this.known.remember(partition, rowKey, entity, entity.etag);
      return { props: entity, etag: entity.etag };
    } catch (err) {
      this.known.forget(partition, rowKey);
      if (status(err) === 404) return undefined;
      throw storageError(err);
    }
  }

  /** The rows a query matches, deduplicated by key, in index-then-key order (values unread when `keysOnly`). */
  private async matching(
    collection: string,
    o: QueryOptions,
    keysOnly: boolean,
  ): Promise<DocProps[]> {
    const partitions = this.partitions.all(collection);
    const byIndex =
      o.indexPrefix !== undefined || o.indexFrom !== undefined || o.indexBefore !== undefined;
    const range = byIndex ? indexRange(o) : docRange(o.keyPrefix);
    if (range.from >= range.before) return [];
    // Without an index condition the order is by index, so every row is needed before the limit.
    const limit = byIndex ? o.limit : undefined;
    const rowRange = odata`RowKey ge ${range.from} and RowKey lt ${range.before}`;
    const inPartition = (p: string) => odata`PartitionKey eq ${p} and ` + rowRange;
    const select = keysOnly ? ['k', 'ver', 'gone'] : undefined;
    const keyPrefix = byIndex ? o.keyPrefix : undefined;
    let rows: DocProps[];
    try {
      if (limit === undefined) {
        // One query ranges over all the partitions.
        const filter =
          partitions.length === 1
            ? inPartition(partitions[0]!)
            : odata`PartitionKey ge ${partitions[0]!} and PartitionKey le ${partitions.at(-1)!} and ` +
              rowRange;
        rows = await this.rowsMatching(this.pages(filter, select, PAGE), keyPrefix, undefined);
      } else {
        // Index rows sort as the query orders them, so the first rows across partitions come
        // from merging each partition's first rows, a small page from each at a time.
        const n = partitions.length;
        const page = Math.min(PAGE, n === 1 ? limit : Math.ceil((limit * 1.5) / n) + 1);
        const sources = partitions.map((p) => this.pages(inPartition(p), select, page));
        rows = await this.rowsMatching(
          n === 1 ? sources[0]! : mergeByRowKey(sources, page),
          keyPrefix,
          limit,
        );
      }
    } catch (err) {
      // Tables not made yet (a read-only look at an account the bot never used): nothing stored.
      if (status(err) === 404 && this.readOnly) return [];
      throw storageError(err);
    }
    rows.sort((a, b) =>
      byIndexThenKey({ index: a.x ?? null, key: a.k }, { index: b.x ?? null, key: b.k }),
    );
    return o.limit !== undefined ? rows.slice(0, Math.max(1, Math.floor(o.limit))) : rows;
  }

  private pages(
    filter: string,
    select: string[] | undefined,
    size: number,
  ): AsyncIterableIterator<Array<TableEntityResult<DocProps>>> {
    return this.docs
      .listEntities<DocProps>({ queryOptions: { filter, select } })
      .byPage({ maxPageSize: size });
  }

  /** The live rows of these pages, one per key, up to `limit` keys. */
  private async rowsMatching(
    pages: AsyncIterable<Array<TableEntityResult<DocProps>>>,
    keyPrefix: string | undefined,
    limit: number | undefined,
  ): Promise<DocProps[]> {
    const seen = new Map<string, DocProps>();
    for await (const page of pages) {
      for (const props of page) {
        if (props.gone) continue;
        if (keyPrefix !== undefined && !props.k.startsWith(keyPrefix)) continue;
        // A document that moved while the scan went page by page shows up twice: keep the newer.
        const earlier = seen.get(props.k);
        if (!earlier || counterOf(props.ver) > counterOf(earlier.ver)) seen.set(props.k, props);
        if (limit !== undefined && seen.size >= limit) return [...seen.values()];
      }
    }
    return [...seen.values()];
  }

  /** Scanned rows as documents, 16 at a time (each may need its blob read). */
  private async resolveAll<T>(
    collection: string,
    rows: DocProps[],
    o: QueryOptions,
  ): Promise<StoredDoc<T>[]> {
    const docs: StoredDoc<T>[] = [];
    for (const batch of chunks(rows, 16)) {
      const resolved = await Promise.all(
        batch.map((props) => this.resolve<T>(collection, props, o)),
      );
      for (const doc of resolved) if (doc) docs.push(doc);
    }
    return docs;
  }

  /** A scanned row as a document; one whose blob went meanwhile is read again and checked against the query. */
  private async resolve<T>(
    collection: string,
    props: DocProps,
    o: QueryOptions,
  ): Promise<StoredDoc<T> | undefined> {
    const value = await this.valueOf<T>(props);
    if (value) return toDoc(props, value.value);
    const again = await this.get<T>(collection, props.k);
    return again && matches(again, o) ? again : undefined;
  }

  private async valueOf<T>(props: DocProps): Promise<{ value: T } | undefined> {
    let json: string;
    if (props.blob) {
      try {
        json = (await this.blobs.getBlockBlobClient(props.blob).downloadToBuffer()).toString(
          'utf8',
        );
      } catch (err) {
        if (status(err) === 404) return undefined;
        throw storageError(err);
      }
    } else {
      json = joinValue(props as DocProps & Record<string, unknown>);
    }
    try {
      return { value: JSON.parse(json) as T };
    } catch (err) {
      throw new StorageError(
        `storage failed: ${props.k} holds a value that is not JSON`,
        safeCause(err),
      );
    }
  }

  /** The row properties for a value: in pieces in the row, or in a new blob the row points to. */
  private async propsFor(
    collection: string,
    key: string,
    json: string,
    index: string | null,
    ver: string,
  ): Promise<DocProps> {
    const base: DocProps = { k: key, ver, at: now(), ...(index === null ? {} : { x: index }) };
    let props: DocProps;
    if (json.length <= this.inlineLimit) {
      const pieces = splitValue(json);
      props = { ...base, n: pieces.length };
      pieces.forEach((piece, i) => {
        props[`v${i}`] = piece;
      });
    } else {
      const blob = `${collection}/${randomUUID()}.json`;
      try {
        await this.blobs.getBlockBlobClient(blob).upload(json, Buffer.byteLength(json), {
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
      } catch (err) {
        throw storageError(err);
      }
      props = { ...base, blob };
    }
    const biggest = Math.max(
      docRowKey(key).length,
      index === null ? 0 : indexRowKey(index, key).length,
    );
    if (entitySize(collection, 'x'.repeat(biggest), props) > MAX_ENTITY_BYTES) {
      await this.dropBlob(props.blob);
      throw new StorageError(
        `storage failed: ${collection}/${key.slice(0, 40)} is too large for one table entity`,
      );
    }
    return props;
  }

  private async dropBlob(name: string | undefined): Promise<void> {
    if (!name) return;
    // Best effort: a blob left behind is unused space, never a wrong read.
    await this.blobs
      .getBlockBlobClient(name)
      .deleteIfExists()
      .catch(() => undefined);
  }
}

function toDoc<T>(props: DocProps, value: T): StoredDoc<T> {
  return { key: props.k, value, etag: props.ver, index: props.x ?? null };
}

function nextVer(previous: string | undefined): string {
  return `${counterOf(previous) + 1}.${randomBytes(4).toString('hex')}`;
}

function counterOf(ver: string | undefined): number {
  const n = ver ? Number.parseInt(ver, 10) : 0;
  return Number.isFinite(n) ? n : 0;
}

function now(): string {
  return new Date().toISOString();
}

/** The transaction failed because another write changed a row first (or removed it). */
function lostRace(err: unknown): boolean {
  const s = status(err);
  return s === 409 || s === 412 || s === 404;
}

async function backoff(attempt: number): Promise<void> {
  if (attempt < 2) return;
  await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 10 * attempt)));
}

function storageError(err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  return new StorageError(
    `storage failed: ${(err as Error).message ?? String(err)}`,
    safeCause(err),
  );
}

/** What is worth keeping of an SDK error: its status and code, never its request (headers, signatures). */
function safeCause(err: unknown): unknown {
  const e = err as { statusCode?: number; code?: string; name?: string } | undefined;
  return { name: e?.name, statusCode: e?.statusCode, code: e?.code };
}

/** SQLite's order: null index first, then index, then key, as UTF-8 bytes compare. */
function byIndexThenKey(
  a: { index: string | null; key: string },
  b: { index: string | null; key: string },
): number {
  if (a.index !== b.index) {
    if (a.index === null) return -1;
    if (b.index === null) return 1;
    const c = Buffer.compare(Buffer.from(a.index), Buffer.from(b.index));
    if (c !== 0) return c;
  }
  return Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));
}

function matches(doc: StoredDoc<unknown>, o: QueryOptions): boolean {
  if (o.keyPrefix !== undefined && !doc.key.startsWith(o.keyPrefix)) return false;
  const byIndex =
    o.indexPrefix !== undefined || o.indexFrom !== undefined || o.indexBefore !== undefined;
  if (!byIndex) return true;
  const idx = doc.index;
  if (idx === null) return false;
  if (o.indexPrefix !== undefined && !idx.startsWith(o.indexPrefix)) return false;
  if (o.indexFrom !== undefined && Buffer.compare(Buffer.from(idx), Buffer.from(o.indexFrom)) < 0)
    return false;
  if (
    o.indexBefore !== undefined &&
    Buffer.compare(Buffer.from(idx), Buffer.from(o.indexBefore)) >= 0
  )
    return false;
  return true;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
