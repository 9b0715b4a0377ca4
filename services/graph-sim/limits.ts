import { z } from 'zod';

/**
 * Graph's service throttling, as documented for the calls the bot makes, enforced when a test
 * asks for it (off by default): a sliding window of accepted requests per service, answering
 * 429 with Retry-After once a window is full. Refused requests do not count, as with Graph's
 * token buckets. The stand-in serves one tenant and one app, so "per app per tenant" is global.
 *
 * Documented limits (learn.microsoft.com/graph/throttling-limits):
 * - identity and access reports: 5 requests per 10 s per app per tenant. The resources listed
 *   include auditLogRoot, the registration report and authenticationMethod, so a user's method
 *   list, Authenticator removal and Temporary Access Passes count in the same window.
 * - Microsoft Teams: installedApps and appCatalogs, 30 requests per second per app per tenant.
 * - identity and access (users, groups): 3,500 resource units per 10 s for a tenant under 50
 *   users; the stand-in counts each request as one unit.
 */

const WindowSchema = z
  .object({
    requests: z.number().int().min(1).max(1_000_000),
    perSeconds: z.number().positive().max(3600),
  })
  .strict();

export const LimitsConfigSchema = z
  .object({
    /** Take the documented limits for every service not named here. */
    documented: z.boolean().optional(),
    reports: WindowSchema.optional(),
    teams: WindowSchema.optional(),
    identity: WindowSchema.optional(),
  })
  .strict();

export type LimitWindow = z.infer<typeof WindowSchema>;
export type LimitsConfig = z.infer<typeof LimitsConfigSchema>;
export type Service = 'reports' | 'teams' | 'identity';
const SERVICES: readonly Service[] = ['reports', 'teams', 'identity'];

const DOCUMENTED_LIMITS: Record<Service, LimitWindow> = {
  reports: { requests: 5, perSeconds: 10 },
  teams: { requests: 30, perSeconds: 1 },
  identity: { requests: 3500, perSeconds: 10 },
};

/** Which documented limit a Graph path falls under (undefined: none the stand-in enforces). */
function serviceOf(pathname: string): Service | undefined {
  const path = pathname.toLowerCase().replace(/^\/(v1\.0|beta)/, '');
  if (path.startsWith('/reports/') || path.startsWith('/auditlogs/')) return 'reports';
  if (/^\/users\/[^/]+\/authentication\//.test(path)) return 'reports';
  if (/^\/users\/[^/]+\/teamwork\//.test(path) || path.startsWith('/appcatalogs/')) return 'teams';
  if (/^\/users\/[^/]+\/sendmail$/.test(path)) return undefined;
  if (/^\/(users|groups|rolemanagement|directoryobjects)(\/|$)/.test(path)) return 'identity';
  return undefined;
}

export interface LimitStats {
  accepted: number;
  throttled: number;
}

export class Limits {
  private windows: Partial<Record<Service, LimitWindow>> = {};
  private readonly accepted = new Map<Service, number[]>();
  private stats: Record<Service, LimitStats> = emptyStats();

  constructor(private readonly now: () => number = Date.now) {}

  set(config: LimitsConfig | null): void {
    const windows: Partial<Record<Service, LimitWindow>> = {};
    for (const s of SERVICES) {
      const w = config?.[s] ?? (config?.documented ? DOCUMENTED_LIMITS[s] : undefined);
      if (w) windows[s] = w;
    }
    this.windows = windows;
    this.accepted.clear();
    this.stats = emptyStats();
  }

  current(): { limits: Partial<Record<Service, LimitWindow>>; stats: Record<Service, LimitStats> } {
    return { limits: { ...this.windows }, stats: structuredClone(this.stats) };
  }

  /** Counts the request, or returns the seconds to wait when its service's window is full. */
  admit(pathname: string): { retryAfterSeconds: number } | undefined {
    const service = serviceOf(pathname);
    const window = service && this.windows[service];
    if (!service || !window) return undefined;
    const now = this.now();
    const span = window.perSeconds * 1000;
    const times = (this.accepted.get(service) ?? []).filter((t) => t > now - span);
    this.accepted.set(service, times);
    if (times.length >= window.requests) {
      this.stats[service].throttled += 1;
      const frees = times[times.length - window.requests]! + span;
      return { retryAfterSeconds: Math.max(1, Math.ceil((frees - now) / 1000)) };
    }
    times.push(now);
    this.stats[service].accepted += 1;
    return undefined;
  }
}

function emptyStats(): Record<Service, LimitStats> {
  return {
    reports: { accepted: 0, throttled: 0 },
    teams: { accepted: 0, throttled: 0 },
    identity: { accepted: 0, throttled: 0 },
  };
}
