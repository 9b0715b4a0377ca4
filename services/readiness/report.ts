/**
 * The readiness report: one entry per step of the practice's rollout plan, each with a status, a
 * one-line reason, the risk in plain words and where (and how) to fix it. Plain data, so the bot,
 * the dashboard and `mfa-bot readiness --json` all show the same thing.
 */

export type CheckStatus = 'pass' | 'attention' | 'fail' | 'unknown';

export const CHECK_IDS = [
  'mfa-required',
  'legacy-auth-blocked',
  'authenticator',
  'registration-campaign',
  'temporary-access-pass',
  'text-and-voice',
  'per-user-mfa',
  'break-glass',
  'admins-phishing-resistant',
  'signin-monitor',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** A change IT can send to Graph themselves (the bot never sends it: it only reads). */
export interface GraphRequest {
  method: 'POST' | 'PATCH';
  /** The full URL on graph.microsoft.com. */
  url: string;
  body: unknown;
  /** The permission the caller needs for it (the bot does not hold it). */
  permission: string;
  /** What the request does, in a few words. */
  summary: string;
}

interface Fix {
  /** Steps in the Entra admin center, in order. */
  steps: string[];
  /** The same change as Graph requests; empty when it can only be done by hand. */
  requests: GraphRequest[];
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** Why, in one line. */
  reason: string;
  /** What could go wrong for the practice, in plain words. */
  risk: string;
  /** The Entra admin center page where this is set. */
  fixUrl: string;
  /** For "unknown": the permission, licence or setting that would let the check see. */
  needs?: string;
  /** Absent when there is nothing to change. */
  fix?: Fix;
}

/** Registration of staff who count (members, not guests, not in the never-nudge group). */
export interface CoverageTally {
  total: number;
  authenticator: number;
  /** Some other MFA method, no Authenticator. */
  other: number;
  none: number;
}

export interface ReadinessReport {
  version: 1;
  generatedAt: string;
  checks: CheckResult[];
  /** Null when the registration report could not be read. */
  coverage: CoverageTally | null;
}

/**
 * The order to clear blocking items in: first what could lock everyone out (emergency access),
 * then what people need before MFA is required of them (the app, a way back in when a phone is
 * lost, the nudge), then the enforcement itself and the gaps around it.
 */
const BLOCKING_ORDER: readonly CheckId[] = [
  'break-glass',
  'authenticator',
  'temporary-access-pass',
  'registration-campaign',
  'mfa-required',
  'legacy-auth-blocked',
  'per-user-mfa',
  'admins-phishing-resistant',
  'text-and-voice',
  'signin-monitor',
];

/** A failed check blocks enforcement, and so does one that could not be seen: never a false pass. */
const isBlocking = (c: CheckResult): boolean => c.status === 'fail' || c.status === 'unknown';

export interface ReadinessSummary {
  ready: boolean;
  /** "Ready to enforce" or "Not ready to enforce: N items block it". */
  headline: string;
  /** In the order to clear them. */
  blocking: CheckResult[];
  /** Worth fixing, not blocking. */
  attention: CheckResult[];
  passed: number;
}

const rank = (c: CheckResult) => BLOCKING_ORDER.indexOf(c.id);

export function summarize(report: ReadinessReport): ReadinessSummary {
  const blocking = report.checks.filter(isBlocking).sort((a, b) => rank(a) - rank(b));
  const attention = report.checks
    .filter((c) => c.status === 'attention')
    .sort((a, b) => rank(a) - rank(b));
  const passed = report.checks.filter((c) => c.status === 'pass').length;
  const ready = blocking.length === 0;
  const headline = ready
    ? 'Ready to enforce'
    : `Not ready to enforce: ${blocking.length} ${blocking.length === 1 ? 'item blocks' : 'items block'} it`;
  return { ready, headline, blocking, attention, passed };
}
