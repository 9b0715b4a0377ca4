import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import type { Logger } from './logger';
import { ConflictError, type DocumentStore, type StoredDoc } from './storage/types';

const COLLECTION = 'jobs';
const DUE = 'due|';
const FAILED = 'failed|';

export interface Job<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  dueAt: string;
  attempts: number;
  createdAt: string;
  lastError?: string;
}

export type JobHandler<P = unknown> = (payload: P, job: Job<P>) => Promise<void>;

export interface SchedulerOptions {
  /** How often the loop looks for due jobs. */
  pollMs?: number;
  /** How long a claimed job is reserved before another loop may run it again (crash recovery). */
  leaseMs?: number;
  maxAttempts?: number;
  /** Wait before retrying a failed job, times the attempt number. */
  retryDelayMs?: number;
}

/**
 * Durable deferred work: snooze reminders, SLA reminders, repeat nudges, re-posts. Each job is a
 * stored document with a due time; one loop claims it with an eTag check, so it runs once even
 * with several loops, and a job claimed by a process that then died runs again after its lease.
 */
export class Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private kicked: Promise<void> | undefined;
  private readonly opts: Required<SchedulerOptions>;

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: SchedulerOptions = {},
  ) {
    this.opts = {
      pollMs: 1000,
      leaseMs: 120_000,
      maxAttempts: 5,
      retryDelayMs: 30_000,
      ...options,
    };
  }

  register<P>(kind: string, handler: JobHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`a handler for ${kind} is already registered`);
    this.handlers.set(kind, handler as JobHandler);
  }

  /**
   * Stores a job. With an id, scheduling again replaces the pending job of that id (one snooze
   * reminder per person, say) instead of adding a second one.
   */
  async schedule<P>(
    kind: string,
    dueAt: Date,
    payload: P,
    id: string = randomUUID(),
  ): Promise<string> {
    const job: Job<P> = {
      id,
      kind,
      payload,
      dueAt: dueAt.toISOString(),
      attempts: 0,
      createdAt: this.clock.now().toISOString(),
    };
    await this.store.put(COLLECTION, id, job, { index: DUE + job.dueAt });
    return id;
  }

  /**
   * Stores a job under this id unless one is already there, waiting or running: for a round that
   * every instance starts at boot (the daily audit checkpoint), so several instances starting
   * at once make one job, and one already run is never put back to now. A job that failed for
   * good is replaced. Returns whether this call stored it.
   */
  async scheduleOnce<P>(kind: string, dueAt: Date, payload: P, id: string): Promise<boolean> {
    const existing = await this.store.get<Job>(COLLECTION, id);
    if (existing && !existing.index?.startsWith(FAILED)) return false;
    const job: Job<P> = {
      id,
      kind,
      payload,
      dueAt: dueAt.toISOString(),
      attempts: 0,
      createdAt: this.clock.now().toISOString(),
    };
    try {
      await this.store.put(
        COLLECTION,
        id,
        job,
        existing
          ? { etag: existing.etag, index: DUE + job.dueAt }
          : { ifAbsent: true, index: DUE + job.dueAt },
      );
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  async cancel(id: string): Promise<boolean> {
    return this.store.delete(COLLECTION, id);
  }

  async get(id: string): Promise<Job | undefined> {
    return (await this.store.get<Job>(COLLECTION, id))?.value;
  }

  /** Jobs waiting to run, soonest first. */
  async pending(kind?: string): Promise<Job[]> {
    const docs = await this.store.query<Job>(COLLECTION, { indexPrefix: DUE });
    return docs.map((d) => d.value).filter((j) => !kind || j.kind === kind);
  }

  async failed(): Promise<Job[]> {
    return (await this.store.query<Job>(COLLECTION, { indexPrefix: FAILED })).map((d) => d.value);
  }

  /** Runs every job that is due now. Returns how many ran to completion. */
  runDue(): Promise<number> {
    // One pass at a time in this process; other processes are kept out by the claim.
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Runs due jobs now, without waiting for the next poll: for work stored to run at once (what
   * follows a ticket action). A pass already running may have looked before the job was stored,
   * so this one runs after it.
   */
  kick(): void {
    const previous = this.kicked ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(async () => {
        await this.running?.catch(() => 0);
        await this.runDue();
      })
      .catch((err: unknown) => this.logger.error({ err }, 'scheduler pass failed'))
      .finally(() => {
        if (this.kicked === next) this.kicked = undefined;
      });
    this.kicked = next;
  }

  /** Waits until no pass is running or asked for. */
  async settle(): Promise<void> {
    while (this.kicked || this.running) {
      await this.kicked;
      await this.running?.catch(() => 0);
    }
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.runDue()
        .catch((err: unknown) => this.logger.error({ err }, 'scheduler pass failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.pollMs);
        });
    };
    this.timer = setTimeout(tick, this.opts.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.settle();
  }

  private async pass(): Promise<number> {
    const now = this.clock.now();
    const due = await this.store.query<Job>(COLLECTION, {
      indexFrom: DUE,
      indexBefore: DUE + now.toISOString() + '\u0000',
      limit: 200,
    });
    let done = 0;
    for (const doc of due) {
      if (await this.runOne(doc)) done += 1;
    }
    return done;
  }

  private async runOne(doc: StoredDoc<Job>): Promise<boolean> {
    const job = { ...doc.value, attempts: doc.value.attempts + 1 };
    const leaseUntil = new Date(this.clock.now().getTime() + this.opts.leaseMs).toISOString();
    let etag: string;
    try {
      etag = await this.store.put(COLLECTION, job.id, job, {
        etag: doc.etag,
        index: DUE + leaseUntil,
      });
    } catch (err) {
      if (err instanceof ConflictError) return false; // another loop claimed it
      throw err;
    }
    const log = this.logger.child({ job: job.id, kind: job.kind, attempt: job.attempts });
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
      await handler(job.payload, job);
    } catch (err) {
      const lastError = (err as Error).message ?? String(err);
      const giveUp = !handler || job.attempts >= this.opts.maxAttempts;
      const retryAt = new Date(this.clock.now().getTime() + this.opts.retryDelayMs * job.attempts);
      const index = giveUp ? FAILED + this.clock.now().toISOString() : DUE + retryAt.toISOString();
      if (giveUp) log.error({ err }, 'job failed for good');
      else log.warn({ err, retryAt }, 'job failed; will retry');
      await this.store
        .put(COLLECTION, job.id, { ...job, lastError }, { etag, index })
        .catch((e: unknown) => {
          log.error({ err: e }, 'could not record the job failure');
        });
      return false;
    }
    await this.store.delete(COLLECTION, job.id, { etag }).catch((e: unknown) => {
      // Rescheduled by its own handler (a repeating job): the new version stays.
      if (!(e instanceof ConflictError)) throw e;
    });
    return true;
  }
}
