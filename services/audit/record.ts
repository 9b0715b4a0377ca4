import { createHash, createHmac } from 'node:crypto';

// What the audit log stores, and how each record's hash is made.

/** What record 1 links back to. */
export const GENESIS = '0'.repeat(64);

type AuditOutcome = 'success' | 'denied' | 'failed' | 'refused';

/** What one privileged action did. Never secrets, codes or message text. */
export interface AuditEntry {
  /** Who acted: an Entra object id, or 'system'. */
  actor: string;
  action: string;
  /** What it acted on: a ticket number, a user id, a campaign id. */
  target: string;
  outcome: AuditOutcome;
  /** Short machine-readable reason for a refusal or failure. */
  reason?: string;
  /** Teams activity id and Graph request id, to correlate with other logs. */
  activityId?: string;
  graphRequestId?: string | null;
  /** Small structured facts (method names, counts). Never free text from users. */
  details?: Record<string, string | number | boolean | null>;
}

/**
 * How a record's hash is made. Every record written now is keyed (HMAC-SHA256 with the audit key);
 * records written before the log was keyed carry no scheme and are plain SHA-256. The scheme is
 * part of what is hashed, and verification refuses an unkeyed record after a keyed one, so the
 * older scheme cannot be used to slip rewritten records in.
 */
export const KEYED = 'hmac-sha256';

export interface AuditRecord extends AuditEntry {
  seq: number;
  at: string;
  prevHash: string;
  scheme?: typeof KEYED;
  hash: string;
}

/** The end of the chain: the last record's number and hash. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** JSON with keys sorted at every level, so the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Keyed records: HMAC-SHA256 with the audit key. Records from before the log was keyed: SHA-256. */
export function recordHash(record: Omit<AuditRecord, 'hash'>, key: string): string {
  const body = canonicalJson(record);
  if (record.scheme === KEYED) return createHmac('sha256', key).update(body).digest('hex');
  return createHash('sha256').update(body).digest('hex');
}

export const seqKey = (seq: number) => String(seq).padStart(12, '0');
