import {
  StorageError,
  type DocumentStore,
  type NewDoc,
  type PutOptions,
  type QueryOptions,
  type ScanOptions,
  type StoredDoc,
} from '../../services/storage/types';

/**
 * A store that can die the way a crashed process does: after `kill()` nothing more is read or
 * written, so whatever was claimed stays claimed and whatever was sent stays unrecorded.
 */
export class KillableStore implements DocumentStore {
  private dead = false;

  constructor(private readonly inner: DocumentStore) {}

  async kill(): Promise<void> {
    this.dead = true;
    await this.inner.close();
  }

  private alive(): void {
    if (this.dead) throw new StorageError('the process is gone');
  }

  async get<T>(collection: string, key: string): Promise<StoredDoc<T> | undefined> {
    this.alive();
    return this.inner.get<T>(collection, key);
  }

  async put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<string> {
    this.alive();
    return this.inner.put(collection, key, value, options);
  }

  async addAll<T>(collection: string, docs: ReadonlyArray<NewDoc<T>>): Promise<number> {
    this.alive();
    return this.inner.addAll(collection, docs);
  }

  async delete(collection: string, key: string, options?: { etag?: string }): Promise<boolean> {
    this.alive();
    return this.inner.delete(collection, key, options);
  }

  async query<T>(collection: string, options?: QueryOptions): Promise<StoredDoc<T>[]> {
    this.alive();
    return this.inner.query<T>(collection, options);
  }

  async count(collection: string, options?: QueryOptions): Promise<number> {
    this.alive();
    return this.inner.count(collection, options);
  }

  async *scan<T>(collection: string, options?: ScanOptions): AsyncIterable<StoredDoc<T>[]> {
    for await (const page of this.inner.scan<T>(collection, options)) {
      this.alive();
      yield page;
    }
  }

  async ping(): Promise<void> {
    this.alive();
  }

  async close(): Promise<void> {
    if (!this.dead) await this.inner.close();
  }
}
