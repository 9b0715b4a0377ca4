import type { Storage, StoreItems } from 'botbuilder';
import { ConflictError, type DocumentStore } from './types';

const COLLECTION = 'botstate';

/**
 * botbuilder's Storage over our document store, safe with several bot instances.
 *
 * botbuilder's BotState saves with eTag '*' ("overwrite whatever is there"), so two instances
 * handling turns of one conversation would silently lose one update. Here no write overwrites
 * blindly: '*' or no eTag on an item this storage handed out (BotState saves the very object it
 * read) means "only if nobody changed it since that read", and on any other item means "only if
 * it does not exist yet". The turn that lost gets botbuilder's eTag-conflict error and can read
 * again, as with any stale eTag.
 */
export class DocumentBotStorage implements Storage {
  /** The eTag each item object had when it was read or last written through this storage. */
  private readonly seen = new WeakMap<object, string>();

  constructor(private readonly store: DocumentStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const doc = await this.store.get<Record<string, unknown>>(COLLECTION, key);
      if (!doc) continue;
      const item = { ...doc.value, eTag: doc.etag };
      this.seen.set(item, doc.etag);
      items[key] = item;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as Record<string, unknown> & { eTag?: string };
      const known = item && typeof item === 'object' ? this.seen.get(item as object) : undefined;
      const etag = eTag && eTag !== '*' ? eTag : known;
      try {
        const next = await this.store.put(
          COLLECTION,
          key,
          value,
          etag ? { etag } : { ifAbsent: true },
        );
        if (item && typeof item === 'object') this.seen.set(item as object, next);
      } catch (err) {
        if (err instanceof ConflictError) {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`, { cause: err });
        }
        throw err;
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.store.delete(COLLECTION, key);
  }
}
