/**
 * At most `requests` calls in any `perMs` window, for calls to a service that counts that way
 * (Microsoft Graph's reports: 5 requests per 10 seconds per app per tenant). `take` waits its
 * turn (first come, first served); `tryTake` is for work that can do without the call.
 */
const EDGE_MS = 100;

export interface WindowLimiterOptions {
  requests: number;
  perMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class WindowLimiter {
  private readonly taken: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: WindowLimiterOptions) {
    if (!(options.requests >= 1) || !(options.perMs > 0))
      throw new RangeError('a window needs at least one request and a positive length');
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Takes a call now if the window has room and nobody is waiting; false otherwise. */
  tryTake(): boolean {
    if (this.waiting > 0 || this.wait(this.now()) > 0) return false;
    this.taken.push(this.now());
    return true;
  }

  /** Waits until the window has room, then takes a call. */
  take(): Promise<void> {
    this.waiting += 1;
    const turn = this.queue.then(async () => {
      for (let ms = this.wait(this.now()); ms > 0; ms = this.wait(this.now())) await this.sleep(ms);
      this.taken.push(this.now());
    });
    this.queue = turn.finally(() => {
      this.waiting -= 1;
    });
    return turn;
  }

  /** Milliseconds until a call fits in the window. */
  private wait(now: number): number {
    // A little longer than the window, so a call never lands on the edge of the service's count.
    const span = this.options.perMs + EDGE_MS;
    while (this.taken.length && this.taken[0]! <= now - span) this.taken.shift();
    if (this.taken.length < this.options.requests) return 0;
    return this.taken[this.taken.length - this.options.requests]! + span - now;
  }
}
