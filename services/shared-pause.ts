import { z } from 'zod';
import type { Logger } from './logger';
import type { AppWidePause } from './send-budget';
import { ConflictError, type DocumentStore } from './storage/types';

const COLLECTION = 'signals';
const KEY = 'send-budget/pause';
const MAX_TRIES = 10;
const WARN_EVERY_MS = 60_000;

/** What another instance wrote: parsed, since a store is shared with other versions of the bot. */
const PauseDoc = z.object({
  until: z.iso.datetime(),
  rateFactor: z.number().gt(0).lte(1),
});
type PauseDoc = z.infer<typeof PauseDoc>;

/** What a pause read from the store is applied to: this instance's send budget. */
export interface PauseTarget {
  applyPause(pause: AppWidePause): void;
}

export interface SharedPauseOptions {
  store: DocumentStore;
  logger: Logger;
  /** The send budget's clock (ms since the epoch): `until` is a time on it. */
  now?: () => number;
  /** How often the store is read; sends themselves never read it. */
  refreshMs?: number;
}

/**
 * Teams throttles the app as a whole, whichever instance makes the request. When one instance's
 * send budget finds the app throttled, it writes the pause here; the others read it about once
 * a second and wait it out too, then climb back from the lower rate as that one does. The store
 * only ever helps: when it fails, each budget goes on alone, as with one instance.
 */
export class SharedPause {
  private readonly now: () => number;
  private readonly refreshMs: number;
  /** The eTag of the pause last read, so one pause is applied once, not every second. */
  private seen: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private publishing: Promise<void> = Promise.resolve();
  private readonly warnedAt = new Map<string, number>();

  constructor(private readonly options: SharedPauseOptions) {
    this.now = options.now ?? Date.now;
    this.refreshMs = options.refreshMs ?? 1000;
  }

  /**
   * Tells the other instances. A pause already stored that ends later, or is slower, is kept:
   * two instances throttled at once never shorten each other's pause. Never rejects.
   */
  publish(pause: AppWidePause): Promise<void> {
    this.publishing = this.publishing
      .then(() => this.write(pause))
      .catch((err: unknown) =>
        this.warn(err, 'could not share the send pause with other instances'),
      );
    return this.publishing;
  }

  /** Reads the shared pause and applies it, if it is new and not over yet. Never rejects. */
  async refresh(target: PauseTarget): Promise<void> {
    try {
      const doc = await this.options.store.get<unknown>(COLLECTION, KEY);
      if (!doc || doc.etag === this.seen) return;
      this.seen = doc.etag;
      const stored = PauseDoc.safeParse(doc.value);
      if (!stored.success) {
        this.warn(stored.error, 'ignoring an unreadable shared send pause');
        return;
      }
      target.applyPause(this.pauseOf(stored.data));
    } catch (err) {
      this.warn(err, 'could not read the send pause shared by other instances');
    }
  }

  /** Reads the shared pause now and every `refreshMs` until stopped. */
  start(target: PauseTarget): void {
    const turn = () => {
      this.reading ??= this.refresh(target).finally(() => (this.reading = undefined));
    };
    turn();
    this.timer = setInterval(turn, this.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.reading;
    await this.publishing;
  }

  private async write(found: AppWidePause): Promise<void> {
    const { store } = this.options;
    // Stored to the millisecond: rounded up, so nobody's pause ends before the one found.
    const pause = { ...found, until: Math.ceil(found.until) };
    for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
      const doc = await store.get<unknown>(COLLECTION, KEY);
      const parsed = doc && PauseDoc.safeParse(doc.value);
      const stored = parsed?.success ? this.pauseOf(parsed.data) : undefined;
      const active = stored && stored.until > this.now() ? stored : undefined;
      const merged: AppWidePause = active
        ? {
            until: Math.max(active.until, pause.until),
            rateFactor: Math.min(active.rateFactor, pause.rateFactor),
          }
        : pause;
      if (active && merged.until === active.until && merged.rateFactor === active.rateFactor)
        return;
      const value: PauseDoc = {
        until: new Date(merged.until).toISOString(),
        rateFactor: merged.rateFactor,
      };
      try {
        await store.put(COLLECTION, KEY, value, doc ? { etag: doc.etag } : { ifAbsent: true });
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error('the shared send pause kept changing');
  }

  private pauseOf(doc: PauseDoc): AppWidePause {
    return { until: Date.parse(doc.until), rateFactor: doc.rateFactor };
  }

  /** A store that is down would otherwise log every second: once a minute says it. */
  private warn(err: unknown, message: string): void {
    const now = this.now();
    if (now - (this.warnedAt.get(message) ?? Number.NEGATIVE_INFINITY) < WARN_EVERY_MS) return;
    this.warnedAt.set(message, now);
    this.options.logger.warn({ err }, message);
  }
}
