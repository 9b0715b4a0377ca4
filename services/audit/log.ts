import fs from 'node:fs';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { ConflictError, type DocumentStore } from '../storage/types';
import {
  GENESIS,
  KEYED,
  recordHash,
  seqKey,
  type AuditEntry,
  type AuditHead,
  type AuditRecord,
} from './record';
import { verifyChain, type VerifyResult, type WitnessedHead } from './verify';

export type { AuditEntry, AuditHead, AuditRecord } from './record';
export { canonicalJson, seqKey } from './record';

const RECORDS = 'audit';
const HEAD = 'audit-head';

/** Every record, oldest first. Reading needs no key. */
async function readRecords(store: DocumentStore): Promise<AuditRecord[]> {
  return (await store.query<AuditRecord>(RECORDS, { keyPrefix: '' }))
    .map((d) => d.value)
    .sort((a, b) => a.seq - b.seq);
}

/** Records from a time on, oldest first. */
export async function readRecordsSince(store: DocumentStore, from: Date): Promise<AuditRecord[]> {
  const docs = await store.query<AuditRecord>(RECORDS, { indexFrom: from.toISOString() });
  return docs.map((d) => d.value).sort((a, b) => a.seq - b.seq);
}

/** The head the database itself keeps (at most one record behind after a crash). */
async function readHead(store: DocumentStore): Promise<AuditHead | undefined> {
  return (await store.get<AuditHead>(HEAD, 'head'))?.value;
}

/**
 * The audit log: append-only, each record chained to the one before and sealed with the audit key
 * (HMAC-SHA256 over canonical JSON), so editing, removing or reordering any record breaks the
 * chain from that point on, and someone without the key cannot re-seal a rewritten chain.
 * Removing records from the end leaves a shorter chain that is still whole: heads announced
 * earlier (a file, the IT channel) are what catch that.
 */
export class AuditLog {
  /** A true private field: the key never shows when the log object is serialized or logged. */
  readonly #key: string;

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    key: string,
  ) {
    this.#key = key;
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const head = await this.store.get<AuditHead>(HEAD, 'head');
      const seq = (head?.value.seq ?? 0) + 1;
      const base: Omit<AuditRecord, 'hash'> = {
        ...entry,
        seq,
        at: this.clock.now().toISOString(),
        prevHash: head?.value.hash ?? GENESIS,
        scheme: KEYED,
      };
      const record: AuditRecord = { ...base, hash: recordHash(base, this.#key) };
      try {
        await this.store.put(RECORDS, seqKey(seq), record, { ifAbsent: true, index: record.at });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Another writer (or one that stopped before moving the head) took this number:
        // move the head to that record and try the next number.
        const taken = await this.store.get<AuditRecord>(RECORDS, seqKey(seq));
        if (taken) {
          await this.store
            .put(
              HEAD,
              'head',
              { seq, hash: taken.value.hash },
              head ? { etag: head.etag } : { ifAbsent: true },
            )
            .catch((e: unknown) => {
              if (!(e instanceof ConflictError)) throw e;
            });
        }
        continue;
      }
      await this.store
        .put(
          HEAD,
          'head',
          { seq, hash: record.hash },
          head ? { etag: head.etag } : { ifAbsent: true },
        )
        .catch((e: unknown) => {
          // A racing writer already moved the head past us after repairing it: fine.
          if (!(e instanceof ConflictError)) throw e;
        });
      return record;
    }
    throw new Error('audit log: could not append (too much contention)');
  }

  /**
   * A log written before it was keyed ends with unkeyed records, which anyone could rewrite and
   * re-hash. One keyed record after them seals them: it carries the last one's hash under the key.
   */
  async sealUnkeyed(): Promise<AuditRecord | undefined> {
    const head = await this.head();
    if (!head) return undefined;
    const last = await this.store.get<AuditRecord>(RECORDS, seqKey(head.seq));
    if (!last || last.value.scheme === KEYED) return undefined;
    this.logger.info(
      { unkeyedRecords: head.seq },
      'sealing audit records written before the log was keyed',
    );
    return this.append({
      actor: 'system',
      action: 'audit.keyed',
      target: '-',
      outcome: 'success',
      details: { unkeyedRecords: head.seq },
    });
  }

  since(from: Date): Promise<AuditRecord[]> {
    return readRecordsSince(this.store, from);
  }

  all(): Promise<AuditRecord[]> {
    return readRecords(this.store);
  }

  head(): Promise<AuditHead | undefined> {
    return readHead(this.store);
  }

  /** Checks the whole chain with this log's key, against its own head and any heads announced earlier. */
  async verify(witnessed: readonly WitnessedHead[] = []): Promise<VerifyResult> {
    const own = await this.head();
    const heads = own
      ? [{ ...own, source: 'the head kept in the database' }, ...witnessed]
      : witnessed;
    return verifyChain(await this.all(), this.#key, heads);
  }

  /**
   * Appends the chain head to the application log and, when given, to a file (one JSON line per
   * announcement, never rewritten), so a chain later cut short or rewritten no longer matches
   * what was written out. `audit verify --head FILE` checks every line.
   */
  async announceHead(file?: string): Promise<void> {
    const head = await this.head();
    if (!head) return;
    this.logger.info({ auditHead: head }, 'audit chain head');
    if (file)
      await fs.promises.appendFile(
        file,
        `${JSON.stringify({ ...head, at: this.clock.now().toISOString() })}\n`,
      );
  }
}
