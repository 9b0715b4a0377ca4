import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { LeaseHold, Leases } from '../storage/lease';

const LEASE_NAME = 'campaign-sender';

/** Whether this instance may send now (several instances: only the sender lease's holder). */
export interface SendingGate {
  holds(): boolean;
}

export interface SenderLeaseOptions {
  /** How long a hold lasts without renewal: a killed sender's campaigns wait at most this. */
  ttlMs: number;
  /** How often the holder renews (and the others ask); several renewals fit in one hold. */
  renewMs: number;
  /**
   * A hold this close to running out no longer counts: the holder stops sending this long
   * before another instance may start, so the two never send at once.
   */
  marginMs: number;
}

/** A busy store may take seconds to answer: a hold outlives five missed renewals. */
export const DEFAULT_SENDER_LEASE: SenderLeaseOptions = {
  ttlMs: 30_000,
  renewMs: 5_000,
  marginMs: 10_000,
};

/**
 * Which instance sends campaign nudges, when several share one store. Teams' limits are per app
 * and tenant, so one sender paces every nudge: the global rate, Teams' per-conversation windows
 * and each Retry-After are then one process's knowledge, with no store write per send. Every
 * instance asks for the lease now and then; the one holding it renews it, and when it dies the
 * lease runs out and another instance takes over; the dead one's claimed rows follow when their
 * claims run out.
 */
export class SenderLease implements SendingGate {
  private hold: LeaseHold | undefined;

  constructor(
    private readonly leases: Leases,
    private readonly owner: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly options: SenderLeaseOptions = DEFAULT_SENDER_LEASE,
  ) {}

  /** True while this instance may claim rows and send. */
  holds(): boolean {
    return (
      this.hold !== undefined && this.hold.until.getTime() - this.options.marginMs > this.now()
    );
  }

  /**
   * Takes the lease if free or renews this instance's hold. 'gained': this instance starts
   * sending; rows the previous holder claimed are sent again once their claims run out.
   */
  async refresh(): Promise<'gained' | 'kept' | 'none'> {
    const had = this.holds();
    try {
      this.hold = this.hold
        ? ((await this.leases.renew(this.hold, this.options.ttlMs)) ??
          (await this.leases.acquire(LEASE_NAME, this.owner, this.options.ttlMs)))
        : await this.leases.acquire(LEASE_NAME, this.owner, this.options.ttlMs);
    } catch (err) {
      // The hold still counts until it runs out; the next refresh tries again.
      this.logger.warn({ err }, 'could not renew the campaign sender lease');
      return this.holds() ? 'kept' : 'none';
    }
    if (!this.hold) return 'none';
    return had ? 'kept' : 'gained';
  }

  /** Gives the lease back (a clean stop), so another instance takes over at once. */
  async release(): Promise<void> {
    const hold = this.hold;
    this.hold = undefined;
    if (hold) await this.leases.release(hold).catch(() => undefined);
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
