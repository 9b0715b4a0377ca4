/**
 * What a failed Teams send means for a nudge. Connector errors arrive as botbuilder's RestError
 * (statusCode, code, details = the parsed body, response.headers); they are read by shape, not
 * by class, so a different HTTP stack reads the same.
 */

export interface SendFailure {
  status?: number;
  code?: string;
  subCode?: string;
  retryAfterMs?: number;
  message: string;
}

export type Verdict =
  | { kind: 'retry'; throttled: boolean; retryAfterMs?: number; reason: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'not-installed'; status: number; reason: string }
  | { kind: 'not-found'; reason: string }
  | { kind: 'failed'; reason: string };

/** Statuses Teams documents as transient: retry with backoff (honouring Retry-After). */
const TRANSIENT = new Set([408, 412, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
]);
const BLOCKED_CODES = ['MessageWritesBlocked', 'ConversationBlockedByUser'];

type Loose = Record<string, unknown>;

function obj(v: unknown): Loose | undefined {
  return v && typeof v === 'object' ? (v as Loose) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** Seconds or an HTTP date, as Retry-After allows; undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(err: Loose, name: string): string | undefined {
  const headers = obj(obj(err.response)?.headers);
  const get = headers?.get;
  if (typeof get === 'function') return str((get as (n: string) => unknown).call(headers, name));
  return str(headers?.[name]);
}

/** Reads status, error code, sub-code and Retry-After from whatever the send threw. */
export function describeSendError(err: unknown): SendFailure {
  const e = obj(err) ?? {};
  const status =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.status === 'number'
        ? e.status
        : undefined;
  const body = obj(e.details) ?? obj(e.body);
  const inner = obj(body?.error) ?? body;
  const text = JSON.stringify(body ?? {});
  const subCode = str(inner?.subCode) ?? BLOCKED_CODES.find((c) => text.includes(c));
  return {
    status,
    code: str(inner?.code) ?? str(e.code),
    subCode,
    retryAfterMs: parseRetryAfter(header(e, 'retry-after')),
    message: str(inner?.message) ?? str(e.message) ?? String(err),
  };
}

function label(f: SendFailure): string {
  return f.status ? `${f.status}${f.code ? ` ${f.code}` : ''}` : (f.code ?? f.message).slice(0, 80);
}

/** The one decision per failure: retry, or which final state. */
export function judge(f: SendFailure): Verdict {
  const reason = label(f);
  if (f.status === undefined) {
    return f.code && NETWORK_CODES.has(f.code)
      ? { kind: 'retry', throttled: false, reason }
      : { kind: 'retry', throttled: false, reason: `network: ${reason}` };
  }
  if (f.status === 429)
    return { kind: 'retry', throttled: true, retryAfterMs: f.retryAfterMs, reason };
  if (TRANSIENT.has(f.status)) {
    return {
      kind: 'retry',
      throttled: f.status === 503 && f.retryAfterMs !== undefined,
      retryAfterMs: f.retryAfterMs,
      reason,
    };
  }
  if (
    f.status === 403 &&
    ((f.subCode && BLOCKED_CODES.includes(f.subCode)) || (f.code && BLOCKED_CODES.includes(f.code)))
  ) {
    return { kind: 'blocked', reason: f.subCode ?? f.code ?? 'blocked' };
  }
  if (f.status === 403 || f.status === 404)
    return { kind: 'not-installed', status: f.status, reason };
  if (f.status === 413) return { kind: 'failed', reason: 'message too large' };
  return { kind: 'failed', reason };
}

/** Exponential backoff with jitter: base·2^(attempt-1), capped, then scaled by 0.5–1.5. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random()));
}

/** A little jitter on top of a Retry-After, so refused requests don't all come back at once. */
export function afterRetryAfter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms + Math.min(500, ms * 0.1) * random() + 10);
}
