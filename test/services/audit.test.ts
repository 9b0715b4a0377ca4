import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { DAY, HOUR, ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/logger';
import {
  AuditLog,
  canonicalJson,
  seqKey,
  type AuditEntry,
  type AuditRecord,
} from '../../services/audit/log';
import { runAuditCommand } from '../../services/audit/cli';
import { checkpointText, registerAuditCheckpoints } from '../../services/audit/checkpoint';
import { headToken } from '../../services/audit/verify';
import { Scheduler } from '../../services/scheduler';
import { SqliteStore } from '../../services/storage/sqlite';
import type { AzureStore } from '../../services/storage/azure/store';
import { docRowKey, indexRowKey } from '../../services/storage/azure/keys';
import type { DocumentStore } from '../../services/storage/types';
import { openAzureStore, type OpenedStore } from '../helpers/stores';
import { botAddedToTeam, IT_CHANNEL } from '../helpers/activities';
import { startHarness, userOf } from '../helpers/harness';

const KEY = 'test-audit-key-that-is-long-enough-0123456789';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

const entry = (i: number): AuditEntry => ({
  actor: `it-${i}`,
  action: 'tickets.revokeSessions',
  target: `MFA-000${i}`,
  outcome: 'success',
  graphRequestId: `req-${i}`,
});

/**
 * What an older version wrote, and what someone holding the database but not the audit key can
 * write: a chain of plain SHA-256 hashes. Replaces the whole log and the stored head.
 */
async function writeUnkeyedChain(store: DocumentStore, entries: AuditEntry[]): Promise<void> {
  for (const doc of await store.query('audit')) await store.delete('audit', doc.key);
  let prev = '0'.repeat(64);
  for (const [i, e] of entries.entries()) {
    const base = { ...e, seq: i + 1, at: `2026-01-05T09:00:0${i % 10}.000Z`, prevHash: prev };
    const hash = createHash('sha256').update(canonicalJson(base)).digest('hex');
    await store.put('audit', seqKey(base.seq), { ...base, hash }, { index: base.at });
    prev = hash;
  }
  if (entries.length) await store.put('audit-head', 'head', { seq: entries.length, hash: prev });
  else await store.delete('audit-head', 'head');
}

const asEntry = ({ actor, action, target, outcome, details }: AuditRecord): AuditEntry => ({
  actor,
  action,
  target,
  outcome,
  ...(details ? { details } : {}),
});

for (const backend of ['SQLite', 'Azure'] as const)
  describe(`audit log (${backend})`, function () {
    this.timeout(60_000);
    const onSqlite = backend === 'SQLite';
    let dir: string;
    let dbFile: string;
    let store: DocumentStore;
    let azure: OpenedStore | undefined;
    /** What the command line needs to find this store (STORAGE=azure and its settings). */
    let storageEnv: Record<string, string> = {};
    let log: AuditLog;
    const sqlite = () => store as SqliteStore;

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-audit-'));
      dbFile = path.join(dir, 'mfa-bot.db');
      if (onSqlite) {
        store = new SqliteStore(dbFile);
      } else {
        azure = await openAzureStore();
        store = azure.store;
        storageEnv = azure.env;
      }
      log = new AuditLog(store, new ManualClock(), silentLogger(), KEY);
    });
    afterEach(async () => {
      await store.close();
      await azure?.cleanUp();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function cli(
      args: string[],
      env: NodeJS.ProcessEnv = { AUDIT_KEY: KEY },
    ): Promise<{ code: number; text: string }> {
      const io = capture();
      const code = await runAuditCommand(
        args,
        dir,
        { stdout: io.stream, stderr: io.stream },
        { ...storageEnv, ...env },
      );
      return { code, text: io.text() };
    }

    /** Removes a record the way someone with access to the storage could, past the bot. */
    async function removeBehindTheBotsBack(seq: number): Promise<void> {
      if (onSqlite) {
        sqlite()
          .database.prepare("DELETE FROM docs WHERE collection = 'audit' AND key = ?")
          .run(seqKey(seq));
        return;
      }
      const table = (store as AzureStore).docs;
      const row = await table.getEntity<{ x: string }>('audit', docRowKey(seqKey(seq)));
      await table.deleteEntity('audit', docRowKey(seqKey(seq)));
      await table.deleteEntity('audit', indexRowKey(row.x, seqKey(seq)));
    }

    it('chains records so the whole log verifies as intact', async () => {
      for (let i = 1; i <= 5; i += 1) await log.append(entry(i));
      const result = await log.verify();
      assert.equal(result.intact, true);
      assert.equal(result.records, 5);
    });

    it('keeps one unbroken chain when many actions are written at once', async () => {
      await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(entry(i))));
      const records = await log.all();
      assert.deepEqual(
        records.map((r) => r.seq),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.equal((await log.verify()).intact, true);
    });

    it('keeps one unbroken chain when two instances write at once', async () => {
      const second = onSqlite ? new SqliteStore(dbFile) : azure!.another();
      try {
        const logs = [log, new AuditLog(second, new ManualClock(), silentLogger(), KEY)];
        await Promise.all(Array.from({ length: 24 }, (_, i) => logs[i % 2]!.append(entry(i))));
        assert.deepEqual(
          (await log.all()).map((r) => r.seq),
          Array.from({ length: 24 }, (_, i) => i + 1),
        );
        assert.equal((await cli(['verify'])).code, 0);
      } finally {
        await second.close();
      }
    });

    it('repairs a head left behind by a crash between writing a record and moving the head', async () => {
      await log.append(entry(1));
      const first = await log.head();
      await log.append(entry(2));
      // Put the head back one record, as if the process died right after writing record 2.
      const current = await store.get('audit-head', 'head');
      await store.put('audit-head', 'head', first, { etag: current!.etag });
      await log.append(entry(3));
      assert.equal((await log.verify()).intact, true);
    });

    if (onSqlite) {
      it('"audit verify" finds a single changed byte in a copied database', async () => {
        for (let i = 1; i <= 4; i += 1) await log.append(entry(i));
        await store.close();
        const copy = path.join(dir, 'copy.db');
        fs.copyFileSync(dbFile, copy);
        for (const suffix of ['-wal', '-shm']) {
          if (fs.existsSync(`${dbFile}${suffix}`))
            fs.copyFileSync(`${dbFile}${suffix}`, `${copy}${suffix}`);
        }
        const ok = await cli(['verify', '--db', copy]);
        assert.equal(ok.code, 0, ok.text);
        assert.match(ok.text, /^intact: 4 records/);

        // Change one byte of record 3 (MFA-0003 → MFA-0008) directly in the database.
        const tampered = new SqliteStore(copy);
        const row = tampered.database
          .prepare("SELECT value FROM docs WHERE collection = 'audit' AND key = ?")
          .get(seqKey(3)) as { value: string };
        tampered.database
          .prepare("UPDATE docs SET value = ? WHERE collection = 'audit' AND key = ?")
          .run(row.value.replace('MFA-0003', 'MFA-0008'), seqKey(3));
        await tampered.close();
        const bad = await cli(['verify', '--db', copy]);
        assert.equal(bad.code, 1);
        assert.match(bad.text, /broken at record 3/);
        store = new SqliteStore(dbFile);
      });
    } else {
      it('"audit verify" finds a single changed byte in a record in Azure storage', async () => {
        for (let i = 1; i <= 4; i += 1) await log.append(entry(i));
        const ok = await cli(['verify']);
        assert.equal(ok.code, 0, ok.text);
        assert.match(ok.text, /^intact: 4 records/);
        // Change one byte of record 3 (MFA-0003 → MFA-0008) in the table, past the bot.
        const table = (store as AzureStore).docs;
        const row = await table.getEntity<{ v0: string }>('audit', docRowKey(seqKey(3)));
        await table.updateEntity(
          {
            partitionKey: 'audit',
            rowKey: row.rowKey!,
            v0: row.v0.replace('MFA-0003', 'MFA-0008'),
          },
          'Merge',
        );
        const bad = await cli(['verify']);
        assert.equal(bad.code, 1);
        assert.match(bad.text, /broken at record 3/);
      });
    }

    it('detects records cut from the end against a head written out earlier', async () => {
      for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
      const headFile = path.join(dir, 'head.json');
      fs.writeFileSync(headFile, JSON.stringify(await log.head()));
      await removeBehindTheBotsBack(3);
      const out = await cli(['verify', '--head', headFile]);
      assert.equal(out.code, 1);
      assert.match(out.text, /broken at record 3: record 3 is gone from the end/);
    });

    it('"audit export" writes JSON lines from a date on', async () => {
      await log.append(entry(1));
      const out = path.join(dir, 'audit.jsonl');
      assert.equal((await cli(['export', '--since', '2000-01-01', '--out', out], {})).code, 0);
      const lines = fs
        .readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; hash: string });
      assert.equal(lines.length, 1);
      assert.equal(lines[0].action, 'tickets.revokeSessions');
      assert.match(lines[0].hash, /^[0-9a-f]{64}$/);
    });

    if (onSqlite) {
      it('"audit export --out" never replaces the database, nor another file unless --force is given', async () => {
        await log.append(entry(1));
        for (const args of [[], ['--force']]) {
          const res = await cli(['export', '--since', '2000-01-01', '--out', dbFile, ...args], {});
          assert.equal(res.code, 2);
          assert.match(res.text, /is the database itself/);
        }
        assert.equal((await log.all()).length, 1, 'the database still holds its record');
        const notes = path.join(dir, 'notes.txt');
        fs.writeFileSync(notes, 'keep me\n');
        const refused = await cli(['export', '--since', '2000-01-01', '--out', notes], {});
        assert.equal(refused.code, 2);
        assert.match(refused.text, /already exists; pass --force/);
        assert.equal(fs.readFileSync(notes, 'utf8'), 'keep me\n');
        assert.equal(
          (await cli(['export', '--since', '2000-01-01', '--out', notes, '--force'], {})).code,
          0,
        );
        assert.equal(
          (JSON.parse(fs.readFileSync(notes, 'utf8')) as { target: string }).target,
          'MFA-0001',
        );
      });

      it('"audit verify" only reads the database: same bytes, same time, no journal files, even for a backup copy', async () => {
        for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
        await store.close();
        // A backup as backup tools leave it: a rollback-journal database, not WAL.
        const backup = path.join(dir, 'backup.db');
        fs.copyFileSync(dbFile, backup);
        const raw = new Database(backup);
        raw.pragma('journal_mode = DELETE');
        raw.close();
        for (const db of [dbFile, backup]) {
          const before = {
            bytes: fs.readFileSync(db),
            mtime: fs.statSync(db).mtimeMs,
            files: fs.readdirSync(dir).sort(),
          };
          const res = await cli(['verify', '--db', db]);
          assert.equal(res.code, 0, res.text);
          assert.ok(
            fs.readFileSync(db).equals(before.bytes),
            `${path.basename(db)} bytes unchanged`,
          );
          assert.equal(
            fs.statSync(db).mtimeMs,
            before.mtime,
            `${path.basename(db)} modification time unchanged`,
          );
          assert.deepEqual(
            fs.readdirSync(dir).sort(),
            before.files,
            'no -wal or -shm file appeared',
          );
        }
        store = new SqliteStore(dbFile);
      });
    } else {
      it('"audit verify" and "audit export" change nothing in Azure storage, and create nothing where there is no log', async () => {
        for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
        const rows = async () => {
          const seen: string[] = [];
          for await (const e of (store as AzureStore).docs.listEntities())
            seen.push(`${e.partitionKey}/${e.rowKey}@${e.etag}`);
          return seen.sort();
        };
        const before = await rows();
        assert.equal((await cli(['verify'])).code, 0);
        assert.equal((await cli(['export', '--since', '2000-01-01'], {})).code, 0);
        assert.deepEqual(await rows(), before, 'every row as it was, same ETags');

        const empty = await cli(['verify'], { AUDIT_KEY: KEY, AZURE_STORAGE_PREFIX: 'neverused' });
        assert.equal(empty.code, 0, empty.text);
        assert.match(empty.text, /^intact: 0 records/);
        const tables: string[] = [];
        const { TableServiceClient } = await import('@azure/data-tables');
        const service = TableServiceClient.fromConnectionString(
          storageEnv.AZURE_STORAGE_CONNECTION_STRING!,
          { allowInsecureConnection: true },
        );
        for await (const t of service.listTables()) tables.push(t.name ?? '');
        assert.ok(!tables.some((t) => t.startsWith('neverused')), 'no table was made for a look');
      });
    }

    describe('against someone rewriting the database', () => {
      it('catches a chain re-hashed without the audit key', async () => {
        for (let i = 1; i <= 4; i += 1) await log.append(entry(i));
        const records = await log.all();
        await writeUnkeyedChain(
          store,
          records.map((r) => (r.seq === 2 ? { ...asEntry(r), target: 'MFA-0099' } : asEntry(r))),
        );
        const res = await cli(['verify']);
        assert.equal(res.code, 1, res.text);
        assert.match(res.text, /broken at record 1: no record is sealed with the audit key/);
      });

      it('catches a chain re-sealed with a guessed key, and tells a wrong key from a missing one', async () => {
        for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
        const forger = new AuditLog(
          store,
          new ManualClock(),
          silentLogger(),
          'a-guess-at-the-key-that-is-long-enough',
        );
        const records = await log.all();
        await writeUnkeyedChain(store, []);
        for (const r of records)
          await forger.append(r.seq === 2 ? { ...asEntry(r), target: 'MFA-0099' } : asEntry(r));
        const res = await cli(['verify']);
        assert.equal(res.code, 1);
        assert.match(
          res.text,
          /broken at record 1: its contents do not match its hash \(changed, or sealed with another AUDIT_KEY\)/,
        );
        const none = await cli(['verify'], {});
        assert.equal(none.code, 2);
        assert.match(none.text, /needs the audit key.*AUDIT_KEY/s);
      });

      it('catches an emptied log against a head that saw records', async () => {
        for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
        const head = (await log.head())!;
        await writeUnkeyedChain(store, []);
        assert.match(
          (await cli(['verify'])).text,
          /^intact: 0 records\nno earlier head to check against/,
        );
        const res = await cli(['verify', '--head', `${head.seq}:${head.hash}`]);
        assert.equal(res.code, 1);
        assert.match(
          res.text,
          /broken at record 1: the log is empty, but the head 3:[0-9a-f]{64} says it had 3 records/,
        );
      });

      it('keeps every hourly head in AUDIT_HEAD_FILE and catches a cut tail with the stored head moved back', async () => {
        const headFile = path.join(dir, 'heads.jsonl');
        for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
        await log.announceHead(headFile);
        for (let i = 4; i <= 5; i += 1) await log.append(entry(i));
        await log.announceHead(headFile);
        assert.equal(
          fs.readFileSync(headFile, 'utf8').trim().split('\n').length,
          2,
          'one line per announcement',
        );

        // Remove records 4 and 5 and move the stored head back to 3: the chain alone looks whole.
        for (const seq of [4, 5]) await store.delete('audit', seqKey(seq));
        const three = (await log.all())[2]!;
        await store.put('audit-head', 'head', { seq: 3, hash: three.hash });
        assert.equal((await log.verify()).intact, true, 'without a witness a cut tail cannot show');
        const res = await cli(['verify'], { AUDIT_KEY: KEY, AUDIT_HEAD_FILE: headFile });
        assert.equal(res.code, 1);
        assert.match(
          res.text,
          /broken at record 4: records 4 to 5 are gone from the end \(.*heads\.jsonl line 2 says the log had 5\)/,
        );
      });

      it('accepts a head announced an hour ago while the log has grown since, in every form', async () => {
        const headFile = path.join(dir, 'heads.jsonl');
        for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
        await log.announceHead(headFile);
        const earlier = (await log.head())!;
        for (let i = 4; i <= 6; i += 1) await log.append(entry(i));
        const check = async (heads: string[]) => {
          const res = await cli(['verify', ...heads]);
          assert.equal(res.code, 0, `${heads.join(' ')}: ${res.text}`);
          assert.match(
            res.text,
            /^intact: 6 records, head 6:[0-9a-f]{64}\nchecked against \d earlier heads?/,
          );
        };
        await check(['--head', headFile]);
        await check(['--head', `${earlier.seq}:${earlier.hash}`]);
        await check(['--head', headToken(earlier)]);
        await check(['--head', headFile, '--head', headToken(earlier)]);
      });

      it('refuses a head whose record has another hash, or one past the end', async () => {
        for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
        const wrong = await cli(['verify', '--head', `2:${'ab'.repeat(32)}`]);
        assert.equal(wrong.code, 1);
        assert.match(wrong.text, /broken at record 2: it does not match the head 2:/);
        const head = (await log.head())!;
        const past = await cli(['verify', '--head', `9:${head.hash}`]);
        assert.equal(past.code, 1);
        assert.match(past.text, /broken at record 4: records 4 to 9 are gone from the end/);
        const garbage = path.join(dir, 'garbage.txt');
        fs.writeFileSync(garbage, 'not a head\n');
        const unreadable = await cli(['verify', '--head', garbage]);
        assert.equal(unreadable.code, 2);
        assert.match(unreadable.text, /garbage\.txt line 1 is not a head/);
      });

      it('seals records written before the log was keyed, and refuses unkeyed records after keyed ones', async () => {
        await writeUnkeyedChain(store, [entry(1), entry(2), entry(3)]);
        const unsealed = await cli(['verify']);
        assert.equal(unsealed.code, 1, 'an unsealed log proves nothing');
        assert.match(unsealed.text, /no record is sealed with the audit key/);

        const seal = await log.sealUnkeyed();
        assert.equal(seal?.seq, 4);
        assert.equal(seal?.action, 'audit.keyed');
        assert.equal(await log.sealUnkeyed(), undefined, 'sealed once');
        await log.append(entry(5));
        const sealed = await cli(['verify']);
        assert.equal(sealed.code, 0, sealed.text);
        assert.match(
          sealed.text,
          /records 1 to 3 were written before the log was keyed; record 4 seals them/,
        );

        // Rewriting an old unkeyed record breaks the link to the keyed record after it.
        const records = await log.all();
        const keyed = records.slice(3);
        await writeUnkeyedChain(store, [entry(1), { ...entry(2), target: 'MFA-0099' }, entry(3)]);
        for (const r of keyed) await store.put('audit', seqKey(r.seq), r, { index: r.at });
        assert.match(
          (await cli(['verify'])).text,
          /broken at record 4: does not link to the record before it/,
        );

        // An unkeyed record after keyed ones is refused even when its hash is right.
        await writeUnkeyedChain(store, []);
        for (const r of records) await store.put('audit', seqKey(r.seq), r, { index: r.at });
        const last = records.at(-1)!;
        const base = { ...entry(6), seq: 6, at: last.at, prevHash: last.hash };
        await store.put('audit', seqKey(6), {
          ...base,
          hash: createHash('sha256').update(canonicalJson(base)).digest('hex'),
        });
        assert.match(
          (await cli(['verify'])).text,
          /broken at record 6: it is not sealed with the audit key, but the records before it are/,
        );
      });
    });

    describe('daily checkpoint', () => {
      it('posts the full head once a day, in a form "audit verify --head" accepts', async () => {
        const clock = new ManualClock();
        const scheduler = new Scheduler(store, clock, silentLogger());
        const posted: string[] = [];
        const checkpoints = registerAuditCheckpoints(
          { scheduler, clock, logger: silentLogger(), audit: log },
          async (text) => {
            posted.push(text);
          },
        );
        for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
        await checkpoints.schedule();
        await checkpoints.schedule();
        assert.equal((await scheduler.pending()).length, 1, 'one daily job across restarts');
        await scheduler.runDue();
        assert.equal(posted.length, 1);
        const head = (await log.head())!;
        const token = `3:${Buffer.from(head.hash, 'hex').toString('base64url')}`;
        assert.match(posted[0]!, /^🔏 Audit log checkpoint: record 3, fingerprint `/);
        assert.ok(posted[0]!.includes(`\`${token}\``), 'the whole hash, not a shortened one');

        await log.append(entry(4));
        clock.advance(HOUR);
        await scheduler.runDue();
        assert.equal(posted.length, 1, 'not again within the day');
        clock.advance(DAY);
        await scheduler.runDue();
        assert.equal(posted.length, 2);
        assert.match(posted[1]!, /record 4, fingerprint/);

        const res = await cli(['verify', '--head', token]);
        assert.equal(res.code, 0, res.text);
        await log.append(entry(5));
        await writeUnkeyedChain(store, []);
        assert.equal(
          (await cli(['verify', '--head', token])).code,
          1,
          'the posted head catches a wiped log',
        );
      });

      it('groups the record number for people reading the channel', () => {
        assert.match(
          checkpointText({ seq: 1234, hash: 'ab'.repeat(32) }),
          /record 1,234, fingerprint `1234:[A-Za-z0-9_-]{43}`/,
        );
      });
    });
  });

describe('audit log in the running bot', () => {
  it('posts the daily checkpoint to the IT channel', async () => {
    const h = await startHarness();
    try {
      const priya = userOf(
        h.practice.users.find((u) => u.userPrincipalName === 'priya.raman@riverbendfm.example')!,
      );
      await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
      await h.app.parts.audit.append(entry(1));
      h.app.start();
      const { scheduler } = h.app.parts;
      // start() schedules the first checkpoint in the background.
      for (let i = 0; i < 100 && (await scheduler.pending('audit.checkpoint')).length === 0; i += 1)
        await new Promise((r) => setTimeout(r, 20));
      await scheduler.runDue();
      const notice = await h.connector.waitFor(
        () =>
          h.connector
            .activities(IT_CHANNEL)
            .find((a) => /Audit log checkpoint/.test(String(a.text))),
        5000,
        'the checkpoint notice',
      );
      const head = (await h.app.parts.audit.head())!;
      assert.ok(
        String(notice.text).includes(
          `${head.seq}:${Buffer.from(head.hash, 'hex').toString('base64url')}`,
        ),
      );
    } finally {
      await h.close();
    }
  });

  it('keeps the demo key in DATA_DIR/audit.key for its owner only, never in the database, and reuses it', async () => {
    const first = await startHarness();
    const dataDir = first.dataDir;
    try {
      await first.app.parts.audit.append(entry(1));
    } finally {
      await first.close();
    }
    const keyFile = path.join(dataDir, 'audit.key');
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    const key = fs.readFileSync(keyFile, 'utf8').trim();
    assert.ok(key.length >= 32);
    assert.ok(
      !fs.readFileSync(path.join(dataDir, 'mfa-bot.db')).includes(key),
      'the key is not in the database',
    );

    const again = await startHarness({ dataDir });
    try {
      await again.app.parts.audit.append(entry(2));
      assert.equal((await again.app.parts.audit.verify()).intact, true);
    } finally {
      await again.close();
    }
    const io = capture();
    assert.equal(
      await runAuditCommand(['verify'], dataDir, { stdout: io.stream, stderr: io.stream }, {}),
      0,
      io.text(),
    );
    assert.match(io.text(), /^intact: 2 records/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
