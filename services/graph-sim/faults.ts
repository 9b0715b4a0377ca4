import { z } from 'zod';
import { seededRandom } from '../prng';

/**
 * Injected failures for tests and demos: throttling (429 with Retry-After), outages (503/504),
 * slow answers and malformed bodies, on a share of requests or the next N of them.
 */

export const FaultConfigSchema = z
  .object({
    rate: z.number().min(0).max(1).default(1),
    status: z.union([z.literal(429), z.literal(503), z.literal(504)]).optional(),
    /** Pick one of these at random for each fault (instead of one fixed status). */
    statuses: z
      .array(z.union([z.literal(429), z.literal(503), z.literal(504)]))
      .min(1)
      .optional(),
    /** Every request (faulted or not) waits a random 0..slowMs first: a slow service. */
    slowMs: z.number().int().min(0).max(60_000).optional(),
    /** Answer 200 with a body that is not valid JSON. */
    malformed: z.boolean().optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    /** Only requests whose path starts with this (with or without the /v1.0 or /beta prefix). */
    paths: z.string().startsWith('/').optional(),
    /** Stop after this many injected faults. */
    count: z.number().int().min(1).optional(),
    /** Seed for the rate's random draws, so a partial rate is repeatable. */
    seed: z.number().int().optional(),
  })
  .strict();

export type FaultConfig = z.infer<typeof FaultConfigSchema>;

export interface FaultDecision {
  latencyMs: number;
  status?: 429 | 503 | 504;
  malformed?: boolean;
  retryAfterSeconds?: number;
}

export class Faults {
  private config: FaultConfig | null = null;
  private remaining = Infinity;
  private random: () => number = Math.random;
  injected = 0;

  set(config: FaultConfig | null): void {
    const empty =
      !config ||
      (config.status === undefined &&
        !config.statuses &&
        !config.malformed &&
        !config.latencyMs &&
        !config.slowMs);
    this.config = empty ? null : config;
    this.remaining = config?.count ?? Infinity;
    this.random = seededRandom(config?.seed ?? 42);
    this.injected = 0;
  }

  current(): (FaultConfig & { remaining: number | null }) | null {
    if (!this.config) return null;
    return { ...this.config, remaining: Number.isFinite(this.remaining) ? this.remaining : null };
  }

  /** What to do with a request to this path, or null to serve it normally. */
  decide(pathname: string): FaultDecision | null {
    const c = this.config;
    if (!c) return null;
    const prefix = c.paths?.toLowerCase();
    const lower = pathname.toLowerCase();
    if (prefix && ![prefix, `/v1.0${prefix}`, `/beta${prefix}`].some((p) => lower.startsWith(p))) {
      return null;
    }
    const slow = c.slowMs ? Math.floor(this.random() * c.slowMs) : 0;
    if (this.random() >= c.rate) return slow ? { latencyMs: slow } : null;
    this.injected += 1;
    this.remaining -= 1;
    if (this.remaining <= 0) this.config = null;
    const status = c.statuses
      ? c.statuses[Math.floor(this.random() * c.statuses.length)]
      : c.status;
    return {
      latencyMs: (c.latencyMs ?? 0) + slow,
      status,
      malformed: c.malformed,
      retryAfterSeconds: c.retryAfterSeconds,
    };
  }
}
