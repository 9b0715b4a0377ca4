import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../clock';
import { silentLogger } from '../logger';
import { SqliteStore } from '../storage/sqlite';
import { azureStorageSettings, openAzureStore } from '../storage/settings';
import type { DocumentStore } from '../storage/types';
import { auditKeyProblem, AUDIT_KEY_HINT, DEMO_KEY_FILE, existingAuditKey } from './key';
import { AuditLog, readRecordsSince } from './log';
import { parseHeadLines, parseHeadToken, type WitnessedHead } from './verify';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `Usage:
  mfa-bot audit verify [--db PATH] [--head <seq>:<hash> | --head FILE]...
      Checks every record against the audit key (AUDIT_KEY, or the demo's DATA_DIR/${DEMO_KEY_FILE})
      and that the log still holds every head given: one copied from an "Audit log checkpoint" in
      the IT channel, or a file of head lines. AUDIT_HEAD_FILE, when set, is checked too.
      Opens the database read-only (with STORAGE=azure, the Azure tables the bot uses, from
      AZURE_STORAGE_* as the bot reads them). Exits 0 if intact, 1 if broken, 2 if it cannot check.
  mfa-bot audit export --since <YYYY-MM-DD> [--db PATH] [--out FILE [--force]]
      Writes records as JSON lines. --out never replaces an existing file unless --force is
      given, and never the database.`;

const NO_KEY = `audit verify needs the audit key the bot runs with. Set AUDIT_KEY (in production it is
an App Service setting or a Key Vault reference), or run from the demo's DATA_DIR, which keeps it in
${DEMO_KEY_FILE}.`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function options(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name && args[i + 1] !== undefined ? [args[i + 1]!] : []));
}

/** `mfa-bot audit ...`: check the chain, or export records as JSON lines for a SIEM. */
export async function runAuditCommand(
  args: string[],
  dataDir: string,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'export') {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const source = storageSource(rest, dataDir, io, env);
  if (!source) return 2;
  return sub === 'verify'
    ? verify(rest, source, dataDir, io, env)
    : exportRecords(rest, source, io);
}

/** Where the records are: a SQLite file (`db`), or the Azure tables of STORAGE=azure. */
interface Source {
  db?: string;
  open(): DocumentStore;
}

function storageSource(
  args: string[],
  dataDir: string,
  io: Io,
  env: NodeJS.ProcessEnv,
): Source | undefined {
  if (env.STORAGE?.trim() === 'azure') {
    if (option(args, '--db')) {
      io.stderr.write(
        '--db names a SQLite file; with STORAGE=azure the records are in Azure storage\n',
      );
      return undefined;
    }
    const onAppService = Boolean(env.WEBSITE_SITE_NAME?.trim() || env.WEBSITE_INSTANCE_ID?.trim());
    const { settings, problems } = azureStorageSettings(env, onAppService);
    if (!settings) {
      io.stderr.write(`${problems.join('\n')}\n`);
      return undefined;
    }
    return { open: () => openAzureStore(settings, { readOnly: true }) };
  }
  const db = path.resolve(option(args, '--db') ?? path.join(dataDir, 'mfa-bot.db'));
  if (!fs.existsSync(db)) {
    io.stderr.write(`No database at ${db}\n`);
    return undefined;
  }
  return { db, open: () => new SqliteStore(db, undefined, { readOnly: true }) };
}

async function verify(
  args: string[],
  source: Source,
  dataDir: string,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const key = existingAuditKey(env, dataDir);
  if (!key) {
    io.stderr.write(`${NO_KEY}\n`);
    return 2;
  }
  if (auditKeyProblem(key)) {
    io.stderr.write(`AUDIT_KEY must be ${AUDIT_KEY_HINT}.\n`);
    return 2;
  }
  const witnessed = witnessedHeads(options(args, '--head'), env.AUDIT_HEAD_FILE, io);
  if (!witnessed) return 2;
  const store = source.open();
  try {
    const result = await new AuditLog(store, systemClock, silentLogger(), key).verify(witnessed);
    if (!result.intact) {
      io.stdout.write(`broken at record ${result.brokenAt}: ${result.problem}\n`);
      return 1;
    }
    const lines = [
      `intact: ${result.records} records${result.head ? `, head ${result.head.seq}:${result.head.hash}` : ''}`,
    ];
    lines.push(
      witnessed.length
        ? `checked against ${witnessed.length} earlier ${witnessed.length === 1 ? 'head' : 'heads'}`
        : 'no earlier head to check against: records cut from the end would not show (pass --head, or set AUDIT_HEAD_FILE)',
    );
    if (result.unkeyed)
      lines.push(
        `records 1 to ${result.unkeyed} were written before the log was keyed; record ${result.unkeyed + 1} seals them`,
      );
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * The heads to check: each --head is `<seq>:<hash>` or a file of head lines; AUDIT_HEAD_FILE is
 * added when set. Undefined (after saying why) when any of them cannot be read.
 */
function witnessedHeads(
  values: string[],
  headFile: string | undefined,
  io: Io,
): WitnessedHead[] | undefined {
  const heads: WitnessedHead[] = [];
  const problems: string[] = [];
  const readFile = (file: string) => {
    const parsed = parseHeadLines(fs.readFileSync(file, 'utf8'), file);
    heads.push(...parsed.heads);
    problems.push(...parsed.problems);
    return parsed.heads.length;
  };
  for (const value of values) {
    const head = parseHeadToken(value);
    if (head) heads.push({ ...head, source: `the head ${value}` });
    else if (!fs.existsSync(value))
      problems.push(`--head ${value}: not a <seq>:<hash> head, and no such file`);
    else if (readFile(value) === 0) problems.push(`--head ${value}: the file holds no heads`);
  }
  if (headFile && !values.some((v) => path.resolve(v) === path.resolve(headFile))) {
    // The bot writes nothing there until the log has a record, so a missing file is only noted.
    if (fs.existsSync(headFile)) readFile(headFile);
    else io.stderr.write(`note: AUDIT_HEAD_FILE ${headFile} does not exist yet\n`);
  }
  if (problems.length) {
    io.stderr.write(`${problems.join('\n')}\n`);
    return undefined;
  }
  return heads;
}

async function exportRecords(args: string[], source: Source, io: Io): Promise<number> {
  const since = option(args, '--since');
  if (!since || Number.isNaN(Date.parse(since))) {
    io.stderr.write(`--since needs a date, e.g. 2026-01-01\n${USAGE}\n`);
    return 2;
  }
  const out = option(args, '--out');
  const force = args.includes('--force');
  const refusal = out ? outRefusal(out, source.db, force) : undefined;
  if (refusal) {
    io.stderr.write(`${refusal}\n`);
    return 2;
  }
  const store = source.open();
  let text: string;
  try {
    text = (await readRecordsSince(store, new Date(since)))
      .map((r) => `${JSON.stringify(r)}\n`)
      .join('');
  } finally {
    await store.close();
  }
  if (!out) {
    io.stdout.write(text);
    return 0;
  }
  try {
    // 'wx' also refuses a file that appeared since the check above.
    fs.writeFileSync(out, text, { flag: force ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    io.stderr.write(`${outRefusal(out, source.db, false) ?? `--out ${out} already exists`}\n`);
    return 2;
  }
  return 0;
}

/** Why --out may not be written: it is the database (never), or it exists and --force was not given. */
function outRefusal(out: string, db: string | undefined, force: boolean): string | undefined {
  if (db && [db, `${db}-wal`, `${db}-shm`, `${db}-journal`].some((f) => sameFile(out, f))) {
    return `--out ${out} is the database itself; choose another file`;
  }
  if (!force && fs.existsSync(out))
    return `--out ${out} already exists; pass --force to replace it`;
  return undefined;
}

function sameFile(a: string, b: string): boolean {
  try {
    const [sa, sb] = [fs.statSync(a), fs.statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}
