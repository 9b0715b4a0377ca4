import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  ConflictError,
  StorageError,
  type DocumentStore,
  type NewDoc,
  type PutOptions,
  type QueryOptions,
  type ScanOptions,
  type StoredDoc,
} from './types';
import { MIGRATIONS, type Migration } from './migrations';

interface Row {
  key: string;
  value: string;
  etag: string;
  idx: string | null;
}

/** WAL on a local disk; DELETE where the file sits on a network share (WAL needs shared memory). */
export type JournalMode = 'wal' | 'delete';

/**
 * The default backend: one SQLite file under DATA_DIR, created on first run. Writes are
 * synchronous inside the process, so a conditional write is checked and applied atomically.
 */
export class SqliteStore implements DocumentStore {
  private readonly db: Database.Database;
  /** Statements compiled once each: preparing one costs more than running it. */
  private readonly statements = new Map<string, Database.Statement>();
  private putInTransaction:
    | Database.Transaction<
        (collection: string, key: string, json: string, options: PutOptions) => string
      >
    | undefined;
  private addInTransaction:
    | Database.Transaction<
        (
          collection: string,
          docs: ReadonlyArray<{ key: string; json: string; index?: string | null }>,
        ) => number
      >
    | undefined;
  private deleteInTransaction:
    | Database.Transaction<(collection: string, key: string, options: { etag?: string }) => boolean>
    | undefined;

  constructor(
    readonly file: string,
    migrations: readonly Migration[] = MIGRATIONS,
    options: { busyTimeoutMs?: number; readOnly?: boolean; journalMode?: JournalMode } = {},
  ) {
    try {
      if (options.readOnly) {
        // For tools that inspect a database (audit verify): no migrations, no journal mode change.
        this.db = openReadOnly(file, options.busyTimeoutMs ?? 5000);
        return;
      }
      if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
      this.db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
      // The mode is stored in the file, so every opener (the bot and the CLI) must agree.
      this.db.pragma(`journal_mode = ${options.journalMode === 'delete' ? 'DELETE' : 'WAL'}`);
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db, migrations);
    } catch (err) {
      throw new StorageError(`cannot open the database at ${file}: ${(err as Error).message}`, err);
    }
  }

  /** The raw database, for repositories that need SQL of their own (the audit log). */
  get database(): Database.Database {
    return this.db;
  }

  async get<T>(collection: string, key: string): Promise<StoredDoc<T> | undefined> {
    const row = this.run(
      () =>
        this.statement(
          'SELECT key, value, etag, idx FROM docs WHERE collection = ? AND key = ?',
        ).get(collection, key) as Row | undefined,
    );
    return row ? toDoc<T>(row) : undefined;
  }

  async put<T>(
    collection: string,
    key: string,
    value: T,
    options: PutOptions = {},
  ): Promise<string> {
    const json = JSON.stringify(value);
    return this.run(() => {
      this.putInTransaction ??= this.db.transaction(
        (c: string, k: string, j: string, o: PutOptions) => this.write(c, k, j, o),
      );
      // IMMEDIATE: the write lock is taken first, so another process's commit between the read
      // and the write makes this one wait (busy timeout) instead of failing with SQLITE_BUSY.
      return this.putInTransaction.immediate(collection, key, json, options);
    });
  }

  private write(collection: string, key: string, json: string, options: PutOptions): string {
    const current = this.statement(
      'SELECT etag, idx FROM docs WHERE collection = ? AND key = ?',
    ).get(collection, key) as { etag: string; idx: string | null } | undefined;
    if (current && options.ifAbsent) throw new ConflictError(collection, key);
    if (options.etag && options.etag !== '*' && current && current.etag !== options.etag) {
      throw new ConflictError(collection, key);
    }
    if (options.etag && options.etag !== '*' && !current && !options.ifAbsent) {
      // A conditional update of something that no longer exists: someone deleted it.
      throw new ConflictError(collection, key);
    }
    const etag = nextEtag(current?.etag);
    const idx = options.index === undefined ? (current?.idx ?? null) : options.index;
    this.statement(
      `INSERT INTO docs (collection, key, value, etag, idx, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (collection, key) DO UPDATE SET
         value = excluded.value, etag = excluded.etag, idx = excluded.idx,
         updated_at = excluded.updated_at`,
    ).run(collection, key, json, etag, idx, new Date().toISOString());
    return etag;
  }

  async addAll<T>(collection: string, docs: ReadonlyArray<NewDoc<T>>): Promise<number> {
    const rows = docs.map((d) => ({ key: d.key, json: JSON.stringify(d.value), index: d.index }));
    return this.run(() => {
      this.addInTransaction ??= this.db.transaction((c: string, all: typeof rows) => {
        let added = 0;
        for (const row of all) {
          try {
            this.write(c, row.key, row.json, { ifAbsent: true, index: row.index ?? null });
            added += 1;
          } catch (err) {
            if (!(err instanceof ConflictError)) throw err;
          }
        }
        return added;
      });
      return this.addInTransaction.immediate(collection, rows);
    });
  }

  async delete(collection: string, key: string, options: { etag?: string } = {}): Promise<boolean> {
    return this.run(() => {
      this.deleteInTransaction ??= this.db.transaction(
        (c: string, k: string, o: { etag?: string }) => {
          const current = this.statement(
            'SELECT etag FROM docs WHERE collection = ? AND key = ?',
          ).get(c, k) as { etag: string } | undefined;
          if (!current) return false;
          if (o.etag && o.etag !== '*' && o.etag !== current.etag) throw new ConflictError(c, k);
          this.statement('DELETE FROM docs WHERE collection = ? AND key = ?').run(c, k);
          return true;
        },
      );
      return this.deleteInTransaction.immediate(collection, key, options);
    });
  }

  async query<T>(collection: string, options: QueryOptions = {}): Promise<StoredDoc<T>[]> {
    const { where, params } = whereClause(collection, options);
    // A negative LIMIT is no limit; as a parameter, one compiled statement serves every limit.
    const limit = options.limit ? Math.max(1, Math.floor(options.limit)) : -1;
    const rows = this.run(
      () =>
        this.statement(
          `SELECT key, value, etag, idx FROM docs WHERE ${where} ORDER BY idx, key LIMIT ?`,
        ).all(...params, limit) as Row[],
    );
    return rows.map((r) => toDoc<T>(r));
  }

  async *scan<T>(collection: string, options: ScanOptions = {}): AsyncIterable<StoredDoc<T>[]> {
    const pageSize = Math.max(1, Math.floor(options.pageSize ?? 500));
    const prefix = options.keyPrefix ?? '';
    const end = `${prefix}${LAST_CHAR}`;
    // Key order, a page after the last key seen: each page is one range read of the primary key.
    let rows = this.run(
      () =>
        this.statement(
          'SELECT key, value, etag, idx FROM docs WHERE collection = ? AND key >= ? AND key < ? ORDER BY key LIMIT ?',
        ).all(collection, prefix, end, pageSize) as Row[],
    );
    while (rows.length > 0) {
      yield rows.map((r) => toDoc<T>(r));
      if (rows.length < pageSize) return;
      const after = rows[rows.length - 1]!.key;
      rows = this.run(
        () =>
          this.statement(
            'SELECT key, value, etag, idx FROM docs WHERE collection = ? AND key > ? AND key < ? ORDER BY key LIMIT ?',
          ).all(collection, after, end, pageSize) as Row[],
      );
    }
  }

  async count(collection: string, options: QueryOptions = {}): Promise<number> {
    const { where, params } = whereClause(collection, options);
    const row = this.run(
      () =>
        this.statement(`SELECT COUNT(*) AS n FROM docs WHERE ${where}`).get(...params) as
          { n: number } | undefined,
    );
    return row?.n ?? 0;
  }

  async ping(): Promise<void> {
    this.run(() => this.statement('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private run<R>(work: () => R): R {
    try {
      return work();
    } catch (err) {
      if (err instanceof ConflictError) throw err;
      throw new StorageError(`storage failed: ${(err as Error).message}`, err);
    }
  }
}

/**
 * Sorts after anything that continues a prefix: the highest code point, whose UTF-8 (F4 8F BF BF)
 * is above every other character's, emoji included (U+FFFF, EF BF BF, is not).
 */
const LAST_CHAR = '\u{10FFFF}';

function whereClause(collection: string, o: QueryOptions): { where: string; params: unknown[] } {
  const parts = ['collection = ?'];
  const params: unknown[] = [collection];
  if (o.indexPrefix !== undefined) {
    parts.push('idx >= ? AND idx < ?');
    params.push(o.indexPrefix, `${o.indexPrefix}${LAST_CHAR}`);
  }
  if (o.indexFrom !== undefined) {
    parts.push('idx >= ?');
    params.push(o.indexFrom);
  }
  if (o.indexBefore !== undefined) {
    parts.push('idx < ?');
    params.push(o.indexBefore);
  }
  if (o.keyPrefix !== undefined) {
    parts.push('key >= ? AND key < ?');
    params.push(o.keyPrefix, `${o.keyPrefix}${LAST_CHAR}`);
  }
  return { where: parts.join(' AND '), params };
}

function toDoc<T>(row: Row): StoredDoc<T> {
  return { key: row.key, value: JSON.parse(row.value) as T, etag: row.etag, index: row.idx };
}

/**
 * A counter and a random part: a key deleted and written again starts its counter over, and a
 * card still holding an eTag from before the delete must not pass for the new document.
 */
function nextEtag(previous: string | undefined): string {
  const n = previous ? Number.parseInt(previous, 10) : 0;
  return `${(Number.isFinite(n) ? n : 0) + 1}.${randomBytes(4).toString('hex')}`;
}

/**
 * Opens a database without writing to it or creating anything beside it. One in use (its -wal
 * file exists) is opened read-only in place, through the files SQLite already keeps there.
 * Otherwise even a read-only open would leave new -wal and -shm files behind, so the file is read
 * into memory and opened from there; SQLite cannot open a WAL-mode image from memory, so the
 * in-memory copy is marked as a rollback-journal database (header bytes 18 and 19).
 */
function openReadOnly(file: string, timeout: number): Database.Database {
  if (fs.existsSync(`${file}-wal`))
    return new Database(file, { readonly: true, fileMustExist: true, timeout });
  const image = fs.readFileSync(file);
  if (image.length >= 20 && image[18] === 2 && image[19] === 2) image.fill(1, 18, 20);
  return new Database(image, { readonly: true });
}

function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const isApplied = db.prepare<[number], { version: number }>(
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    // Checked again under the write lock: the bot and the CLI may open the file at once.
    db.transaction(() => {
      if (isApplied.get(m.version)) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}
