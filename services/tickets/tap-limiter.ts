import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { DocumentStore } from '../storage/types';

const COLLECTION = 'tap-log';
const WINDOW_MS = 60 * 60_000;

/** At most N Temporary Access Passes per IT member per hour. Stores who and when, never codes. */
export class TapLimiter {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly maxPerHour: number,
  ) {}

  async allow(actorId: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const recent = await this.store.count(COLLECTION, {
      indexFrom: `${actorId}|${new Date(now - WINDOW_MS).toISOString()}`,
      indexBefore: `${actorId}|\uffff`,
    });
    return recent < this.maxPerHour;
  }

  async record(actorId: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.store.put(COLLECTION, `${at}|${randomUUID()}`, { actorId, at }, { index: `${actorId}|${at}` });
  }
}
