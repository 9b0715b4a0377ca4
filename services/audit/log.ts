import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { ConflictError, type DocumentStore } from '../storage/types';

const RECORDS = 'audit';
const HEAD = 'audit-head';
const GENESIS = '0'.repeat(64);

export type AuditOutcome = 'success' | 'denied' | 'failed' | 'refused';

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

export interface AuditRecord extends AuditEntry {
  seq: number;
  at: string;
  prevHash: string;
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

export function recordHash(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

export const seqKey = (seq: number) => String(seq).padStart(12, '0');

/**
 * The audit log: append-only, each record hash-chained to the one before (SHA-256 over canonical
 * JSON), so editing, removing or reordering any record breaks the chain from that point on.
 */
export class AuditLog {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async append(entry: AuditEntry): Promise<AuditRecord> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const head = await this.store.get<{ seq: number; hash: string }>(HEAD, 'head');
      const seq = (head?.value.seq ?? 0) + 1;
      const base: Omit<AuditRecord, 'hash'> = {
        ...entry,
        seq,
        at: this.clock.now().toISOString(),
        prevHash: head?.value.hash ?? GENESIS,
      };
      const record: AuditRecord = { ...base, hash: recordHash(base) };
      try {
        await this.store.put(RECORDS, seqKey(seq), record, { ifAbsent: true, index: record.at });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Another writer (or one that stopped before moving the head) took this number:
        // move the head to that record and try the next number.
        const taken = await this.store.get<AuditRecord>(RECORDS, seqKey(seq));
        if (taken) {
          await this.store
            .put(HEAD, 'head', { seq, hash: taken.value.hash }, head ? { etag: head.etag } : { ifAbsent: true })
            .catch((e: unknown) => {
              if (!(e instanceof ConflictError)) throw e;
            });
        }
        continue;
      }
      await this.store
        .put(HEAD, 'head', { seq, hash: record.hash }, head ? { etag: head.etag } : { ifAbsent: true })
        .catch((e: unknown) => {
          // A racing writer already moved the head past us after repairing it: fine.
          if (!(e instanceof ConflictError)) throw e;
        });
      return record;
    }
    throw new Error('audit log: could not append (too much contention)');
  }

  /** Records from a time on, oldest first. */
  async since(from: Date): Promise<AuditRecord[]> {
    const docs = await this.store.query<AuditRecord>(RECORDS, { indexFrom: from.toISOString() });
    return docs.map((d) => d.value).sort((a, b) => a.seq - b.seq);
  }

  async all(): Promise<AuditRecord[]> {
    return (await this.store.query<AuditRecord>(RECORDS, { keyPrefix: '' })).map((d) => d.value).sort((a, b) => a.seq - b.seq);
  }

  async head(): Promise<{ seq: number; hash: string } | undefined> {
    return (await this.store.get<{ seq: number; hash: string }>(HEAD, 'head'))?.value;
  }

  /**
   * Writes the chain head to the log (and a file, when given), so a rewritten chain no longer
   * matches what was recorded elsewhere.
   */
  async announceHead(file?: string): Promise<void> {
    const head = await this.head();
    if (!head) return;
    this.logger.info({ auditHead: head }, 'audit chain head');
    if (file) await fs.promises.writeFile(file, `${JSON.stringify({ ...head, at: this.clock.now().toISOString() })}\n`);
  }
}

export type VerifyResult = { intact: true; records: number; head: string } | { intact: false; records: number; brokenAt: number; problem: string };

/** Checks every record's hash and its link to the one before. */
export function verifyChain(records: AuditRecord[], expectedHead?: { seq: number; hash: string }): VerifyResult {
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    if (r.seq !== expectedSeq) return { intact: false, records: records.length, brokenAt: expectedSeq, problem: `record ${expectedSeq} is missing` };
    if (r.prevHash !== prev) return { intact: false, records: records.length, brokenAt: r.seq, problem: 'does not link to the record before it' };
    const { hash, ...rest } = r;
    if (recordHash(rest) !== hash) return { intact: false, records: records.length, brokenAt: r.seq, problem: 'its contents do not match its hash' };
    prev = hash;
    expectedSeq += 1;
  }
  if (expectedHead && (expectedHead.seq !== expectedSeq - 1 || expectedHead.hash !== prev)) {
    return { intact: false, records: records.length, brokenAt: Math.min(expectedHead.seq, expectedSeq), problem: 'the chain does not end at the recorded head' };
  }
  return { intact: true, records: records.length, head: prev };
}
