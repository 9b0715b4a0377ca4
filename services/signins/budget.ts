import type { Clock } from '../clock';

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
 * A budget for one process: at most `limit` turns in any `windowMs`. Stands in until a budget
 * shared by all report readers exists; anything implementing ReportsBudget can replace it.
 * The window is a second longer than Graph's: Graph counts a request when it arrives, a little
 * after the turn was taken, and a slow first request would otherwise let the sixth in early.
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
