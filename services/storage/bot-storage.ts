import type { Storage, StoreItems } from 'botbuilder';
import { ConflictError, type DocumentStore } from './types';

const COLLECTION = 'botstate';

/**
 * botbuilder's Storage over our document store, with its eTag rules: a write carrying a stale
 * eTag is rejected, '*' or no eTag overwrites.
 */
export class DocumentBotStorage implements Storage {
  constructor(private readonly store: DocumentStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const doc = await this.store.get<Record<string, unknown>>(COLLECTION, key);
      if (doc) items[key] = { ...doc.value, eTag: doc.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as Record<string, unknown> & { eTag?: string };
      try {
        await this.store.put(COLLECTION, key, value, { etag: eTag });
      } catch (err) {
        if (err instanceof ConflictError) {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
        throw err;
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.store.delete(COLLECTION, key);
  }
}
