import type { DocProps } from './entity';

/** A document row as a write needs to know it: its version, index and blob, and Azure's ETag. */
export interface KnownRow {
  props: Pick<DocProps, 'ver' | 'x' | 'blob' | 'gone'>;
  /** The row's Azure ETag. */
  etag: string;
}

/**
 * The last version of each document row this instance read or wrote, without its value, so a
 * write conditioned on that version need not read the row first: a sender's claim and the save
 * after the send each skip a request. Only a hint: the write still goes under the row's Azure
 * ETag, so if anyone wrote in between it fails and is tried again after a fresh read. Our
 * versions never repeat for a key, so a row known at the version a caller names has exactly that
 * version's index and blob.
 */
export class KnownRows {
  private readonly rows = new Map<string, KnownRow>();

  constructor(private readonly capacity: number) {}

  /** The row, if it was last seen at version `ver`. */
  at(partition: string, rowKey: string, ver: string): KnownRow | undefined {
    const row = this.rows.get(slot(partition, rowKey));
    return row?.props.ver === ver ? row : undefined;
  }

  remember(
    partition: string,
    rowKey: string,
    props: KnownRow['props'],
    etag: string | undefined,
  ): void {
    const key = slot(partition, rowKey);
    this.rows.delete(key);
    if (!etag) return;
    const { ver, x, blob, gone } = props;
    this.rows.set(key, { props: { ver, x, blob, gone }, etag });
    // A Map iterates in insertion order: the first key is the one seen longest ago.
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value!);
  }

  forget(partition: string, rowKey: string): void {
    this.rows.delete(slot(partition, rowKey));
  }
}

function slot(partition: string, rowKey: string): string {
  return `${partition}\n${rowKey}`;
}
