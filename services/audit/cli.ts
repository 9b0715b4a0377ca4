import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../clock';
import { silentLogger } from '../logger';
import { SqliteStore, type JournalMode } from '../storage/sqlite';
import { AuditLog, verifyChain } from './log';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `Usage:
  mfa-bot audit verify [--db PATH] [--head FILE]
  mfa-bot audit export --since <YYYY-MM-DD> [--db PATH] [--out FILE]`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `mfa-bot audit ...`: check the chain, or export records as JSON lines for a SIEM. */
export async function runAuditCommand(
  args: string[],
  dataDir: string,
  io: Io,
  journalMode: JournalMode = 'wal',
): Promise<number> {
  const [sub, ...rest] = args;
  const db = option(rest, '--db') ?? path.join(dataDir, 'mfa-bot.db');
  if (sub !== 'verify' && sub !== 'export') {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!fs.existsSync(db)) {
    io.stderr.write(`No database at ${db}\n`);
    return 2;
  }
  const store = new SqliteStore(db, undefined, { journalMode });
  try {
    const log = new AuditLog(store, systemClock, silentLogger());
    if (sub === 'verify') {
      const headFile = option(rest, '--head');
      const expected = headFile ? (JSON.parse(fs.readFileSync(headFile, 'utf8')) as { seq: number; hash: string }) : await log.head();
      const result = verifyChain(await log.all(), expected);
      if (result.intact) {
        io.stdout.write(`intact: ${result.records} records, head ${result.head}\n`);
        return 0;
      }
      io.stdout.write(`broken at record ${result.brokenAt}: ${result.problem}\n`);
      return 1;
    }
    const since = option(rest, '--since');
    if (!since || Number.isNaN(Date.parse(since))) {
      io.stderr.write(`--since needs a date, e.g. 2026-01-01\n${USAGE}\n`);
      return 2;
    }
    const out = option(rest, '--out');
    const lines = (await log.since(new Date(since))).map((r) => JSON.stringify(r)).join('\n');
    if (out) fs.writeFileSync(out, lines ? `${lines}\n` : '');
    else if (lines) io.stdout.write(`${lines}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
