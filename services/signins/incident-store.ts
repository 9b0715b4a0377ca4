import type { Clock } from '../clock';
import { ConflictError, type DocumentStore, type StoredDoc } from '../storage/types';
import type { Incident } from './model';

/**
 * Incidents in storage: readable numbers handed out once each, eTag-guarded changes, and an index
 * that finds the open incidents (oldest first) and those handled since a given time.
 */

const INCIDENTS = 'signin-incidents';
const COUNTERS = 'counters';
const MONITOR = 'signin-monitor';

function indexOf(incident: Incident): string {
  return incident.status === 'open'
    ? `open|${incident.createdAt}`
    : `handled|${incident.lastEventAt}`;
}

export type NewIncident = Omit<Incident, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

export class IncidentStore {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
  ) {}

  async create(input: NewIncident): Promise<Incident> {
    const id = await this.nextNumber();
    const now = this.clock.now().toISOString();
    const incident: Incident = { ...input, id, version: 1, createdAt: now, updatedAt: now };
    await this.store.put(INCIDENTS, id, incident, { ifAbsent: true, index: indexOf(incident) });
    return incident;
  }

  async get(id: string): Promise<StoredDoc<Incident> | undefined> {
    return this.store.get<Incident>(INCIDENTS, id);
  }

  /** Every open incident, oldest first. */
  async listOpen(): Promise<Incident[]> {
    const docs = await this.store.query<Incident>(INCIDENTS, { indexPrefix: 'open|' });
    return docs.map((d) => d.value);
  }

  /** Incidents handled whose last event is at or after `since`. */
  async handledSince(since: Date): Promise<Incident[]> {
    const docs = await this.store.query<Incident>(INCIDENTS, {
      indexFrom: `handled|${since.toISOString()}`,
      indexBefore: 'handled}',
    });
    return docs.map((d) => d.value);
  }

  /**
   * Re-reads and changes the incident until the write wins (or `change` returns nothing). With
   * `bump`, the version moves on and cards rendered before it become stale; bookkeeping (where the
   * alert was posted, that a message went out) leaves it.
   */
  async mutate(
    id: string,
    change: (current: Incident) => Incident | undefined,
    options: { bump: boolean },
  ): Promise<Incident | undefined> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const doc = await this.get(id);
      if (!doc) return undefined;
      const changed = change(doc.value);
      if (!changed) return doc.value;
      const next: Incident = {
        ...changed,
        version: doc.value.version + (options.bump ? 1 : 0),
        updatedAt: this.clock.now().toISOString(),
      };
      try {
        await this.store.put(INCIDENTS, id, next, { etag: doc.etag, index: indexOf(next) });
        return next;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`could not save incident ${id}: too much contention`);
  }

  /**
   * Takes one of the hour's IT alert slots; false once `cap` are taken. Kept in storage so a
   * restart does not hand out a second set.
   */
  async takeAlertSlot(hour: string, cap: number): Promise<boolean> {
    const key = `alerts|${hour}`;
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const current = await this.store.get<{ n: number }>(MONITOR, key);
      const n = current?.value.n ?? 0;
      if (n >= cap) return false;
      try {
        await this.store.put(
          MONITOR,
          key,
          { n: n + 1 },
          current ? { etag: current.etag } : { ifAbsent: true },
        );
        return true;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error('could not count the hour’s alerts: too much contention');
  }

  private async nextNumber(): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const current = await this.store.get<{ n: number }>(COUNTERS, INCIDENTS);
      const n = (current?.value.n ?? 0) + 1;
      try {
        await this.store.put(
          COUNTERS,
          INCIDENTS,
          { n },
          current ? { etag: current.etag } : { ifAbsent: true },
        );
        return `ALERT-${String(n).padStart(4, '0')}`;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error('could not number the incident: too much contention');
  }
}
