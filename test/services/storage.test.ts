import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../services/storage/sqlite';
import { StorageError } from '../../services/storage/types';

/** What only the SQLite backend does; what every backend does is in storage-contract.test.ts. */
describe('SQLite storage', () => {
  let dir: string;
  let store: SqliteStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-store-'));
    store = new SqliteStore(path.join(dir, 'nested', 'bot.db'));
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the database file and its folder on first run', () => {
    assert.ok(fs.existsSync(path.join(dir, 'nested', 'bot.db')));
  });

  it('records applied migrations and does not re-run them on reopen', async () => {
    await store.put('c', 'k', { a: 1 });
    await store.close();
    store = new SqliteStore(path.join(dir, 'nested', 'bot.db'));
    const versions = store.database.prepare('SELECT version FROM schema_migrations').all();
    assert.deepEqual(versions, [{ version: 1 }]);
    assert.deepEqual((await store.get('c', 'k'))?.value, { a: 1 });
  });

  it('lets another process (the CLI beside the running bot) write the same file at once', async () => {
    const file = path.join(dir, 'shared', 'bot.db');
    await new SqliteStore(file).close();
    // Each process waits for the same moment, opens the file and updates the same 20 documents
    // for 400 ms.
    const at = Date.now() + 1000;
    const writer = (name: string) => `
      const { SqliteStore } = require(${JSON.stringify(require.resolve('../../services/storage/sqlite'))});
      (async () => {
        while (Date.now() < ${at}) await new Promise((r) => setTimeout(r, 1));
        const store = new SqliteStore(${JSON.stringify(file)});
        let failed = 0;
        for (let i = 0; Date.now() < ${at + 400}; i += 1)
          await store.put('shared', 'k' + (i % 20), { by: '${name}', i }).catch(() => (failed += 1));
        await store.put('done', '${name}', { failed });
        await store.close();
      })().catch((err) => { console.error(err); process.exit(1); });`;
    const run = (name: string) =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['-e', writer(name)], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let errors = '';
        child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
        child.on('exit', (code) => resolve(code === 0 ? 'ok' : `exit ${code}: ${errors}`));
      });
    assert.deepEqual(await Promise.all([run('a'), run('b'), run('c')]), ['ok', 'ok', 'ok']);
    const reader = new SqliteStore(file);
    try {
      for (const name of ['a', 'b', 'c'])
        assert.deepEqual((await reader.get('done', name))?.value, { failed: 0 }, name);
      assert.equal((await reader.query('shared')).length, 20);
    } finally {
      await reader.close();
    }
  });

  it('gives a clear StorageError when the file cannot be opened', () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    assert.throws(() => new SqliteStore(path.join(blocker, 'bot.db')), StorageError);
  });

  it('opens a closed database read-only without writing to it or leaving files beside it', async () => {
    const file = path.join(dir, 'nested', 'bot.db');
    await store.put('c', 'k', { v: 1 });
    await store.close();
    const before = {
      bytes: fs.readFileSync(file),
      files: fs.readdirSync(path.dirname(file)).sort(),
    };
    const reader = new SqliteStore(file, undefined, { readOnly: true });
    try {
      assert.deepEqual((await reader.get('c', 'k'))?.value, { v: 1 });
      await assert.rejects(reader.put('c', 'k', { v: 2 }), StorageError);
    } finally {
      await reader.close();
    }
    assert.ok(fs.readFileSync(file).equals(before.bytes));
    assert.deepEqual(fs.readdirSync(path.dirname(file)).sort(), before.files);
    assert.throws(
      () => new SqliteStore(path.join(dir, 'missing.db'), undefined, { readOnly: true }),
      StorageError,
    );
    store = new SqliteStore(file);
  });

  it('reads a database in use read-only, including writes not yet copied into the main file', async () => {
    const file = path.join(dir, 'nested', 'bot.db');
    await store.put('c', 'k', { v: 1 });
    await store.put('c', 'k', { v: 2 });
    const main = fs.readFileSync(file);
    const reader = new SqliteStore(file, undefined, { readOnly: true });
    try {
      assert.deepEqual((await reader.get('c', 'k'))?.value, { v: 2 });
    } finally {
      await reader.close();
    }
    assert.ok(fs.readFileSync(file).equals(main), 'the main file is untouched');
  });
});
