import type { Clock } from '../clock';
import { ConflictError, type DocumentStore } from './types';

const COLLECTION = 'leases';

interface LeaseDoc {
  owner: string;
  until: string;
  /** Goes up each time the lease changes hands: work stamped with an older one is stale. */
  fence: number;
}

/** A lease this owner holds until `until`; `etag` is what renewing and releasing check. */
export interface LeaseHold {
  name: string;
  owner: string;
  until: Date;
  fence: number;
  etag: string;
}

/**
 * Named leases in the document store, for work one instance of several should do at a time (the
 * campaign sender, a migration). Taking, renewing and giving back are eTag-checked writes, so two
 * instances never both hold a lease; one that dies loses it when it runs out.
 */
export class Leases {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
  ) {}

  /** Takes the lease if it is free or ran out (or renews it for its holder); undefined if someone else holds it. */
  async acquire(name: string, owner: string, ttlMs: number): Promise<LeaseHold | undefined> {
    const doc = await this.store.get<LeaseDoc>(COLLECTION, name);
    const now = this.clock.now().getTime();
    if (doc && doc.value.owner !== owner && Date.parse(doc.value.until) > now) return undefined;
    const fence = doc ? (doc.value.owner === owner ? doc.value.fence : doc.value.fence + 1) : 1;
    return this.write(name, owner, ttlMs, fence, doc ? { etag: doc.etag } : { ifAbsent: true });
  }

  /** Extends a hold; undefined when it was lost meanwhile (ran out and was taken). */
  async renew(hold: LeaseHold, ttlMs: number): Promise<LeaseHold | undefined> {
    return this.write(hold.name, hold.owner, ttlMs, hold.fence, { etag: hold.etag });
  }

  /** Gives the lease back at once, if still held. */
  async release(hold: LeaseHold): Promise<void> {
    await this.store.delete(COLLECTION, hold.name, { etag: hold.etag }).catch((err: unknown) => {
      if (!(err instanceof ConflictError)) throw err;
    });
  }

  /** Who holds the lease now, if anyone. */
  async holder(name: string): Promise<{ owner: string; until: Date; fence: number } | undefined> {
    const doc = await this.store.get<LeaseDoc>(COLLECTION, name);
    if (!doc || Date.parse(doc.value.until) <= this.clock.now().getTime()) return undefined;
    return { owner: doc.value.owner, until: new Date(doc.value.until), fence: doc.value.fence };
  }

  private async write(
    name: string,
    owner: string,
    ttlMs: number,
    fence: number,
    condition: { etag: string } | { ifAbsent: true },
  ): Promise<LeaseHold | undefined> {
    const until = new Date(this.clock.now().getTime() + ttlMs);
    try {
      const etag = await this.store.put<LeaseDoc>(
        COLLECTION,
        name,
        { owner, until: until.toISOString(), fence },
        condition,
      );
      return { name, owner, until, fence, etag };
    } catch (err) {
      if (err instanceof ConflictError) return undefined;
      throw err;
    }
  }
}
