import { z } from 'zod';
import { GENESIS, KEYED, recordHash, type AuditHead, type AuditRecord } from './record';

/** A head written out earlier (a file line, the IT channel, a command-line argument) and where it came from. */
export interface WitnessedHead extends AuditHead {
  source: string;
}

export type VerifyResult =
  | { intact: true; records: number; head?: AuditHead; unkeyed: number }
  | { intact: false; records: number; brokenAt: number; problem: string };

/**
 * Checks every record's link to the one before and its hash (keyed with `key`), then that every
 * head written out earlier is still in the chain: the record at its number has its hash. An
 * earlier head is a prefix check, so an hour-old head still verifies, while a log cut short (or
 * wiped) below a head does not.
 */
export function verifyChain(
  records: readonly AuditRecord[],
  key: string,
  heads: readonly WitnessedHead[] = [],
): VerifyResult {
  const broken = (brokenAt: number, problem: string): VerifyResult => ({
    intact: false,
    records: records.length,
    brokenAt,
    problem,
  });
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  let prev = GENESIS;
  let unkeyed = 0;
  for (const [i, r] of sorted.entries()) {
    if (r.seq !== i + 1) return broken(i + 1, `record ${i + 1} is missing`);
    if (r.prevHash !== prev) return broken(r.seq, 'does not link to the record before it');
    if (r.scheme !== undefined && r.scheme !== KEYED)
      return broken(r.seq, 'its hash scheme is unknown');
    if (r.scheme === undefined) {
      // Unkeyed records are only accepted as the log's oldest part, from before it was keyed.
      if (unkeyed < i)
        return broken(r.seq, 'it is not sealed with the audit key, but the records before it are');
      unkeyed += 1;
    }
    const { hash, ...rest } = r;
    if (recordHash(rest, key) !== hash) {
      return broken(
        r.seq,
        r.scheme === KEYED
          ? 'its contents do not match its hash (changed, or sealed with another AUDIT_KEY)'
          : 'its contents do not match its hash',
      );
    }
    prev = hash;
  }
  if (sorted.length > 0 && unkeyed === sorted.length) {
    return broken(
      1,
      'no record is sealed with the audit key: the log was rewritten without the key, or an older version wrote it and the bot has not run with AUDIT_KEY since',
    );
  }
  const headProblems = heads
    .map((h) => headProblem(sorted, h))
    .filter((p): p is { brokenAt: number; problem: string } => p !== undefined)
    .sort((a, b) => a.brokenAt - b.brokenAt);
  if (headProblems[0]) return broken(headProblems[0].brokenAt, headProblems[0].problem);
  const last = sorted.at(-1);
  return {
    intact: true,
    records: records.length,
    head: last && { seq: last.seq, hash: last.hash },
    unkeyed,
  };
}

function headProblem(
  sorted: readonly AuditRecord[],
  head: WitnessedHead,
): { brokenAt: number; problem: string } | undefined {
  if (sorted.length === 0)
    return {
      brokenAt: 1,
      problem: `the log is empty, but ${head.source} says it had ${head.seq} records`,
    };
  if (head.seq > sorted.length) {
    const gone =
      head.seq === sorted.length + 1
        ? `record ${head.seq} is`
        : `records ${sorted.length + 1} to ${head.seq} are`;
    return {
      brokenAt: sorted.length + 1,
      problem: `${gone} gone from the end (${head.source} says the log had ${head.seq})`,
    };
  }
  if (sorted[head.seq - 1]?.hash !== head.hash)
    return { brokenAt: head.seq, problem: `it does not match ${head.source}` };
  return undefined;
}

const HEX_HASH = /^[0-9a-f]{64}$/;
const TOKEN = /^(\d{1,15}):([0-9a-fA-F]{64}|[A-Za-z0-9_-]{43})$/;

/**
 * A head in the compact form posted to the IT channel: `<seq>:<the full hash in base64url>`
 * (43 characters instead of 64). The whole hash, so a witness cannot be matched by a forged chain.
 */
export function headToken(head: AuditHead): string {
  return `${head.seq}:${Buffer.from(head.hash, 'hex').toString('base64url')}`;
}

/** `<seq>:<hash>`, the hash as 64 hex digits or 43 base64url characters; undefined if it is neither. */
export function parseHeadToken(text: string): AuditHead | undefined {
  const match = TOKEN.exec(text.trim());
  if (!match) return undefined;
  const seq = Number(match[1]);
  const hash = match[2]!;
  if (seq < 1) return undefined;
  return {
    seq,
    hash: hash.length === 64 ? hash.toLowerCase() : Buffer.from(hash, 'base64url').toString('hex'),
  };
}

const HeadLine = z.object({ seq: z.number().int().min(1), hash: z.string().regex(HEX_HASH) });

/**
 * Every head in a file of head lines: JSON lines as the bot appends them to AUDIT_HEAD_FILE, or
 * `<seq>:<hash>` lines copied from the IT channel. Blank lines and `#` comments are skipped; any
 * other line is a problem, never silently ignored.
 */
export function parseHeadLines(
  text: string,
  name: string,
): { heads: WitnessedHead[]; problems: string[] } {
  const heads: WitnessedHead[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const source = `${name} line ${i + 1}`;
    const head = line.startsWith('{') ? parseJsonHead(line) : parseHeadToken(line);
    if (head) heads.push({ ...head, source });
    else problems.push(`${source} is not a head (expected {"seq":…,"hash":…} or <seq>:<hash>)`);
  });
  return { heads, problems };
}

function parseJsonHead(line: string): AuditHead | undefined {
  try {
    const parsed = HeadLine.safeParse(JSON.parse(line));
    return parsed.success ? { seq: parsed.data.seq, hash: parsed.data.hash } : undefined;
  } catch {
    return undefined;
  }
}
