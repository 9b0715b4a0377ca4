import type { Clock } from '../clock';
import { WindowLimiter } from '../window-limiter';

/**
 * Graph allows 5 requests per 10 seconds per app per tenant for reports and the audit log, shared
 * by everything in the bot that reads them. Each such request first takes a turn from a budget.
 */
export interface ReportsBudget {
  /** Resolves when a request may be sent. */
  acquire(): Promise<void>;
  /** Graph answered 429: nobody should ask again for this long. */
  pause?(ms: number): void;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The monitor's share of Graph's 5 report requests per 10 seconds. Campaigns and coverage
 * reports keep to 2 (CAMPAIGN_GRAPH_READS) and IT's recovery calls need the rest; a practice's
 * sign-in log is a page or two every few minutes, so 1 is plenty.
 */
export const MONITOR_GRAPH_READS = { requests: 1, perMs: 10_000 };

/**
 * The monitor's budget in the bot: its share on a window limiter like the campaigns' one, and a
 * pause for as long as a 429 asks. The pause is kept on the bot's clock, so a poll that starts
 * after it is over never waits for it.
 */
export class SharedReportsBudget implements ReportsBudget {
  private readonly limiter: WindowLimiter;
  private pausedUntil = 0;

  constructor(
    share: { requests: number; perMs: number },
    private readonly clock: Clock,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.limiter = new WindowLimiter({ ...share, sleep });
  }

  async acquire(): Promise<void> {
    const left = () => this.pausedUntil - this.clock.now().getTime();
    for (let wait = left(); wait > 0; wait = left()) await this.sleep(wait);
    await this.limiter.take();
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + ms);
  }
}

/**
 * A budget for one process on a given clock: at most `limit` turns in any `windowMs` (tests drive
 * it with a manual clock). The window is a second longer than Graph's: Graph counts a request
 * when it arrives, a little after the turn was taken, and a slow first request would otherwise
 * let the sixth in early.
 */
export class SlidingWindowBudget implements ReportsBudget {
  private taken: number[] = [];
  private pausedUntil = 0;

  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep = realSleep,
    private readonly limit = 5,
    private readonly windowMs = 11_000,
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now().getTime();
      this.taken = this.taken.filter((at) => at > now - this.windowMs);
      const wait = Math.max(
        this.pausedUntil - now,
        this.taken.length < this.limit ? 0 : this.taken[0]! + this.windowMs - now,
      );
      if (wait <= 0) {
        this.taken.push(now);
        return;
      }
      await this.sleep(wait);
    }
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + ms);
  }
}
