import { randomUUID } from 'node:crypto';
import { HOUR, type Clock } from '../clock';
import { ConflictError, type DocumentStore } from '../storage/types';

const COLLECTION = 'pass-slots';

interface Slots {
  slots: Array<{ id: string; at: string }>;
}

/**
 * At most N Temporary Access Passes per IT member per hour. A slot is reserved atomically (an
 * eTag'd write of the member's own record) before Graph is asked for a pass, and given back if
 * the pass could not be created, so a burst of clicks cannot slip past the limit. Stores who and
 * when, never codes.
 */
export class TapLimiter {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly maxPerHour: number,
  ) {}

  /** A slot id, or undefined when the member already used every slot of the last hour. */
  async reserve(actorId: string): Promise<string | undefined> {
    return this.change(actorId, (slots, now) => {
      const recent = slots.filter((s) => Date.parse(s.at) > now - HOUR);
      if (recent.length >= this.maxPerHour) return { slots: recent, result: undefined };
      const id = randomUUID();
      return { slots: [...recent, { id, at: new Date(now).toISOString() }], result: id };
    });
  }

  /** Gives a slot back (the pass was not created). */
  async release(actorId: string, slotId: string): Promise<void> {
    await this.change(actorId, (slots) => ({
      slots: slots.filter((s) => s.id !== slotId),
      result: undefined,
    }));
  }

  /** Passes this member issued in the last hour. */
  async used(actorId: string): Promise<number> {
    const now = this.clock.now().getTime();
    const doc = await this.store.get<Slots>(COLLECTION, actorId);
    return (doc?.value.slots ?? []).filter((s) => Date.parse(s.at) > now - HOUR).length;
  }

  private async change<R>(
    actorId: string,
    apply: (slots: Slots['slots'], now: number) => { slots: Slots['slots']; result: R },
  ): Promise<R> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const doc = await this.store.get<Slots>(COLLECTION, actorId);
      const { slots, result } = apply(doc?.value.slots ?? [], this.clock.now().getTime());
      try {
        await this.store.put<Slots>(
          COLLECTION,
          actorId,
          { slots },
          doc ? { etag: doc.etag } : { ifAbsent: true },
        );
        return result;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error('could not reserve a pass slot: too much contention');
  }
}
