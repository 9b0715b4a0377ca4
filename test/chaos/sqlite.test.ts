import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../services/storage/sqlite';
import { StorageError } from '../../services/storage/types';
import { MIGRATIONS } from '../../services/storage/migrations';

describe('chaos: a locked or full SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-sqlite-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a locked database gives a clear error, and nothing is corrupted', async () => {
    const file = path.join(dir, 'bot.db');
    const store = new SqliteStore(file, MIGRATIONS, { busyTimeoutMs: 200 });
    await store.put('tickets', 'MFA-0001', { status: 'open' });
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      await assert.rejects(store.put('tickets', 'MFA-0002', { status: 'open' }), (err: unknown) => {
        assert.ok(err instanceof StorageError);
        assert.match(err.message, /database is locked/);
        return true;
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await store.put('tickets', 'MFA-0002', { status: 'open' });
    assert.equal(await store.count('tickets'), 2);
    assert.deepEqual(store.database.prepare('PRAGMA integrity_check').all(), [
      { integrity_check: 'ok' },
    ]);
    await store.close();
  });

  it('a full database gives a clear error, keeps what was there, and works again with room', async () => {
    const file = path.join(dir, 'bot.db');
    const store = new SqliteStore(file);
    await store.put('tickets', 'MFA-0001', { status: 'open' });
    const pages = (store.database.prepare('PRAGMA page_count').get() as { page_count: number })
      .page_count;
    store.database.pragma(`max_page_count = ${pages + 2}`);
    const big = 'x'.repeat(64 * 1024);
    await assert.rejects(
      (async () => {
        for (let i = 0; i < 50; i += 1) await store.put('notes', `n${i}`, { big });
      })(),
      (err: unknown) => err instanceof StorageError && /full/.test(err.message),
    );
    assert.deepEqual((await store.get('tickets', 'MFA-0001'))?.value, { status: 'open' });
    assert.deepEqual(store.database.prepare('PRAGMA integrity_check').all(), [
      { integrity_check: 'ok' },
    ]);
    store.database.pragma('max_page_count = 1073741823');
    await store.put('tickets', 'MFA-0002', { status: 'open' });
    await store.close();
  });
});
