/**
 * Token buckets keyed by a name (a user, a tenant). Each key refills at `perMinute` tokens a
 * minute up to `burst`. Memory is bounded: idle keys are forgotten once full again.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for the key; false when the key is over its limit. */
  take(key: string): boolean {
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((t - bucket.at) * this.perMinute) / 60_000,
    );
    bucket.at = t;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.sweep(t);
    return allowed;
  }

  private sweep(t: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((t - b.at) * this.perMinute) / 60_000 >= this.burst) this.buckets.delete(key);
    }
  }
}
