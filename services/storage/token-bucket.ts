import type { Clock } from '../clock';
import { ConflictError, type DocumentStore } from './types';

const COLLECTION = 'rate-buckets';
const MAX_TRIES = 50;

interface BucketDoc {
  /** The earliest time (ms) the next send may go, for every instance. */
  next: number;
}

/**
 * One send rate shared by every instance: the Teams limit is per app and tenant, not per process.
 * It hands out send times rather than counting tokens (the "generic cell rate" form of a token
 * bucket with room for one): each time is one interval after the previous one, whichever
 * instance took it, so no second ever holds more sends than the rate, however many instances
 * send. An instance takes a few times at once (one store write each batch, not each send) and
 * waits for each before sending. Teams' Retry-After pushes the next time out for everyone.
 */
export class SharedTokenBucket {
  private readonly intervalMs: number;

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly name: string,
    ratePerSecond: number,
  ) {
    if (!(ratePerSecond > 0)) throw new Error('the rate must be above zero');
    this.intervalMs = 1000 / ratePerSecond;
  }

  /**
   * Up to `wanted` send times (ms since the epoch, ascending), none further ahead than `horizonMs`
   * from now; fewer (maybe none) when the rate is taken up that far by others.
   */
  async take(wanted: number, horizonMs = 1000): Promise<number[]> {
    return this.change((next, now) => {
      const times: number[] = [];
      let at = Math.max(next, now);
      while (times.length < wanted && at <= now + horizonMs) {
        times.push(at);
        at += this.intervalMs;
      }
      return { next: times.length ? at : next, result: times };
    });
  }

  /** Nobody sends before `until` (ms since the epoch): Teams answered 429 with Retry-After. */
  async pauseUntil(until: number): Promise<void> {
    await this.change((next) => ({ next: Math.max(next, until), result: undefined }));
  }

  private async change<R>(
    apply: (next: number, now: number) => { next: number; result: R },
  ): Promise<R> {
    for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
      const doc = await this.store.get<BucketDoc>(COLLECTION, this.name);
      const { next, result } = apply(doc?.value.next ?? 0, this.clock.now().getTime());
      if (doc && next === doc.value.next) return result;
      try {
        await this.store.put<BucketDoc>(
          COLLECTION,
          this.name,
          { next },
          doc ? { etag: doc.etag } : { ifAbsent: true },
        );
        return result;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`the send rate ${this.name} is too contended to take from`);
  }
}
