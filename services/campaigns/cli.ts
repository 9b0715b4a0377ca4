import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../clock';
import { SqliteStore, type JournalMode } from '../storage/sqlite';
import { toCsv } from './export';
import { CAMPAIGN_ID_PATTERN } from './model';
import { CampaignStore } from './store';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `Usage:
  mfa-bot campaign export <NUDGE-0001> [--out FILE] [--db PATH]
  Writes one CSV line per recipient: id, UPN, name, groups, state, reason, attempts, last attempt.`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `mfa-bot campaign export <id>`: the per-recipient results of a nudge campaign as CSV. */
export async function runCampaignCommand(
  args: string[],
  dataDir: string,
  io: Io,
  journalMode: JournalMode = 'wal',
): Promise<number> {
  const [sub, id, ...rest] = args;
  if (sub !== 'export' || !id || !CAMPAIGN_ID_PATTERN.test(id)) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const db = option(rest, '--db') ?? path.join(dataDir, 'mfa-bot.db');
  if (!fs.existsSync(db)) {
    io.stderr.write(`No database at ${db}\n`);
    return 2;
  }
  const store = new SqliteStore(db, undefined, { journalMode });
  try {
    const campaigns = new CampaignStore(store, systemClock);
    if (!(await campaigns.campaign(id))) {
      io.stderr.write(`No campaign ${id} in ${db}\n`);
      return 1;
    }
    const csv = toCsv(await campaigns.rows(id));
    const out = option(rest, '--out');
    if (out) {
      fs.writeFileSync(out, csv);
      io.stderr.write(`Wrote ${csv.split('\r\n').length - 2} recipients to ${out}\n`);
    } else {
      io.stdout.write(csv);
    }
    return 0;
  } finally {
    await store.close();
  }
}
