import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/logger';
import { AuditLog, verifyChain, seqKey } from '../../services/audit/log';
import { runAuditCommand } from '../../services/audit/cli';
import { SqliteStore } from '../../services/storage/sqlite';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('audit log', () => {
  let dir: string;
  let store: SqliteStore;
  let log: AuditLog;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-audit-'));
    store = new SqliteStore(path.join(dir, 'mfa-bot.db'));
    log = new AuditLog(store, new ManualClock(), silentLogger());
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const entry = (i: number) => ({ actor: `it-${i}`, action: 'tickets.revokeSessions', target: `MFA-000${i}`, outcome: 'success' as const, graphRequestId: `req-${i}` });

  it('chains records so the whole log verifies as intact', async () => {
    for (let i = 1; i <= 5; i += 1) await log.append(entry(i));
    const result = verifyChain(await log.all(), await log.head());
    assert.deepEqual(result.intact, true);
    assert.equal(result.records, 5);
  });

  it('keeps one unbroken chain when many actions are written at once', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(entry(i))));
    const records = await log.all();
    assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.equal(verifyChain(records, await log.head()).intact, true);
  });

  it('repairs a head left behind by a crash between writing a record and moving the head', async () => {
    await log.append(entry(1));
    const first = await log.head();
    await log.append(entry(2));
    // Put the head back one record, as if the process died right after writing record 2.
    const current = await store.get('audit-head', 'head');
    await store.put('audit-head', 'head', first, { etag: current!.etag });
    await log.append(entry(3));
    assert.equal(verifyChain(await log.all(), await log.head()).intact, true);
  });

  it('"audit verify" finds a single changed byte in a copied database', async () => {
    for (let i = 1; i <= 4; i += 1) await log.append(entry(i));
    await store.close();
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(path.join(dir, 'mfa-bot.db'), copy);
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(path.join(dir, `mfa-bot.db${suffix}`))) fs.copyFileSync(path.join(dir, `mfa-bot.db${suffix}`), `${copy}${suffix}`);
    }
    const ok = capture();
    assert.equal(await runAuditCommand(['verify', '--db', copy], dir, { stdout: ok.stream, stderr: ok.stream }), 0);
    assert.match(ok.text(), /^intact: 4 records/);

    // Change one byte of record 3 (MFA-0003 → MFA-0008) directly in the database.
    const tampered = new SqliteStore(copy);
    const row = tampered.database.prepare("SELECT value FROM docs WHERE collection = 'audit' AND key = ?").get(seqKey(3)) as { value: string };
    tampered.database.prepare("UPDATE docs SET value = ? WHERE collection = 'audit' AND key = ?").run(row.value.replace('MFA-0003', 'MFA-0008'), seqKey(3));
    await tampered.close();
    const bad = capture();
    assert.equal(await runAuditCommand(['verify', '--db', copy], dir, { stdout: bad.stream, stderr: bad.stream }), 1);
    assert.match(bad.text(), /broken at record 3/);
    store = new SqliteStore(path.join(dir, 'mfa-bot.db'));
  });

  it('detects a rewritten chain against a head written out earlier', async () => {
    for (let i = 1; i <= 3; i += 1) await log.append(entry(i));
    const headFile = path.join(dir, 'head.json');
    fs.writeFileSync(headFile, JSON.stringify(await log.head()));
    // Drop the last record and the head with it: the chain alone still looks intact.
    store.database.prepare("DELETE FROM docs WHERE collection = 'audit' AND key = ?").run(seqKey(3));
    const out = capture();
    const code = await runAuditCommand(['verify', '--head', headFile], dir, { stdout: out.stream, stderr: out.stream });
    assert.equal(code, 1);
    assert.match(out.text(), /does not end at the recorded head/);
  });

  it('"audit export" writes JSON lines from a date on', async () => {
    await log.append(entry(1));
    const out = path.join(dir, 'audit.jsonl');
    const io = capture();
    assert.equal(await runAuditCommand(['export', '--since', '2000-01-01', '--out', out], dir, { stdout: io.stream, stderr: io.stream }), 0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; hash: string });
    assert.equal(lines.length, 1);
    assert.equal(lines[0].action, 'tickets.revokeSessions');
    assert.match(lines[0].hash, /^[0-9a-f]{64}$/);
  });
});
