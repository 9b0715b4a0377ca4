import { StorageError } from '../types';

/**
 * Which table partition holds a document. Most collections are one partition each. The two that
 * every nudge touches, and that grow with the practice, are spread over several: a campaign's
 * outbox (Azure serves about 2,000 entity operations a second per partition, and sending 200
 * nudges a second takes about 1,400 there) and the saved chat of each person (read for every
 * nudge, written for every new chat). Each key always lands in the same
 * partition, chosen from a hash of the key, so reads and writes of one document touch one
 * partition and its document and index rows still change in one transaction.
 *
 * The layout is part of the stored data: changing it for a collection that holds documents needs
 * a migration that moves them (see migrations.ts).
 */

/** Collections spread over several partitions, and over how many. */
export const SPREAD: Readonly<Record<string, number>> = {
  'campaign-outbox': 16,
  'conversation-refs': 16,
};

const COLLECTION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Never inside a collection name, so a spread partition cannot be mistaken for a collection. */
const SHARD_MARK = '~';

export type Spread = (collection: string) => number;

export const defaultSpread: Spread = (collection) => SPREAD[collection] ?? 1;

export class Partitions {
  constructor(private readonly spread: Spread = defaultSpread) {}

  /** How many partitions the collection's documents are spread over. */
  count(collection: string): number {
    if (!COLLECTION.test(collection))
      throw new StorageError(`"${collection}" is not a valid collection name`);
    const n = Math.floor(this.spread(collection));
    return n >= 1 && n <= 256 ? n : 1;
  }

  /** The partition that holds this document. */
  of(collection: string, key: string): string {
    const n = this.count(collection);
    return n === 1 ? collection : shardName(collection, fnv1a(key) % n);
  }

  /** Every partition of the collection, in the order their names sort. */
  all(collection: string): string[] {
    const n = this.count(collection);
    if (n === 1) return [collection];
    return Array.from({ length: n }, (_, i) => shardName(collection, i));
  }
}

function shardName(collection: string, shard: number): string {
  return `${collection}${SHARD_MARK}${shard.toString(16).padStart(2, '0')}`;
}

/** FNV-1a over the key's UTF-16 code units: stable across versions and platforms, and quick. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Pages from several partitions, each in row-key order, as pages in row-key order across all of
 * them. One page of each partition is held at a time.
 */
export async function* mergeByRowKey<T extends { rowKey?: string }>(
  sources: ReadonlyArray<AsyncIterator<T[]>>,
  pageSize: number,
): AsyncGenerator<T[]> {
  const heads = sources.map((source) => ({ source, rows: [] as T[], at: 0, done: false }));
  const refill = async (head: (typeof heads)[number]) => {
    while (!head.done && head.at >= head.rows.length) {
      const next = await head.source.next();
      if (next.done) head.done = true;
      else {
        head.rows = next.value;
        head.at = 0;
      }
    }
  };
  await Promise.all(heads.map(refill));
  let page: T[] = [];
  for (;;) {
    let first: (typeof heads)[number] | undefined;
    for (const head of heads) {
      if (head.at >= head.rows.length) continue;
      if (!first || rowKeyOf(head.rows[head.at]!) < rowKeyOf(first.rows[first.at]!)) first = head;
    }
    if (!first) break;
    page.push(first.rows[first.at]!);
    first.at += 1;
    if (first.at >= first.rows.length) await refill(first);
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}

function rowKeyOf(row: { rowKey?: string }): string {
  return row.rowKey ?? '';
}
