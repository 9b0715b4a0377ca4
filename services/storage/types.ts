/**
 * One storage interface for everything the bot keeps. Documents live in named collections, each
 * with an eTag for optimistic concurrency and an optional sortable index string that range
 * queries use (due times, states). SQLite is the default backend; another backend implements
 * the same few calls.
 */

export interface StoredDoc<T> {
  key: string;
  value: T;
  etag: string;
  index: string | null;
}

export interface PutOptions {
  /** Write only if the stored eTag still equals this one. Undefined or '*' overwrites. */
  etag?: string;
  /** Write only if no document has this key yet. */
  ifAbsent?: boolean;
  /** The sortable index string; null clears it, undefined keeps it as it was. */
  index?: string | null;
}

/** A document to add, for `addAll`. */
export interface NewDoc<T> {
  key: string;
  value: T;
  index?: string | null;
}

export interface QueryOptions {
  /** Documents whose index starts with this prefix. */
  indexPrefix?: string;
  /** Documents whose index is ≥ this value. */
  indexFrom?: string;
  /** Documents whose index is < this value. */
  indexBefore?: string;
  /** Documents whose key starts with this prefix. */
  keyPrefix?: string;
  limit?: number;
}

export interface ScanOptions {
  /** Documents whose key starts with this prefix. */
  keyPrefix?: string;
  /** Documents per page (default 500). */
  pageSize?: number;
}

export interface DocumentStore {
  get<T>(collection: string, key: string): Promise<StoredDoc<T> | undefined>;
  /** Returns the new eTag. Throws ConflictError when a condition fails. */
  put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<string>;
  /**
   * Adds each document whose key is not there yet and keeps any that is (a write resumed after a
   * stop): `put` with `ifAbsent` for each, in far fewer round trips. Returns how many it added.
   */
  addAll<T>(collection: string, docs: ReadonlyArray<NewDoc<T>>): Promise<number>;
  /** Returns whether a document was deleted. Throws ConflictError when the eTag is stale. */
  delete(collection: string, key: string, options?: { etag?: string }): Promise<boolean>;
  /** Ordered by index, then key. */
  query<T>(collection: string, options?: QueryOptions): Promise<StoredDoc<T>[]>;
  count(collection: string, options?: QueryOptions): Promise<number>;
  /**
   * Every matching document, a page at a time in key order, for collections too large to hold at
   * once (a campaign's outbox). Each page is read when the previous one has been used: a document
   * written meanwhile may be seen with its old value or its new one, never twice.
   */
  scan<T>(collection: string, options?: ScanOptions): AsyncIterable<StoredDoc<T>[]>;
  /** Quick check that the backend answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A conditional write lost a race: someone else changed or created the document first. */
export class ConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly key: string,
  ) {
    super(`${collection}/${key} was changed by someone else`);
    this.name = 'ConflictError';
  }
}

/** The storage backend could not do what was asked (disk full, file locked, unreachable). */
export class StorageError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
