import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../services/storage/sqlite';
import { DocumentBotStorage } from '../../services/storage/bot-storage';
import { ConflictError, StorageError } from '../../services/storage/types';

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

  it('rejects a write with a stale eTag and keeps the newer value', async () => {
    const first = await store.put('tickets', 't1', { status: 'open' });
    const second = await store.put('tickets', 't1', { status: 'assigned' }, { etag: first });
    await assert.rejects(store.put('tickets', 't1', { status: 'resolved' }, { etag: first }), ConflictError);
    const doc = await store.get<{ status: string }>('tickets', 't1');
    assert.equal(doc?.value.status, 'assigned');
    assert.equal(doc?.etag, second);
  });

  it('overwrites with "*" and refuses ifAbsent when the key exists', async () => {
    await store.put('c', 'k', { v: 1 });
    await store.put('c', 'k', { v: 2 }, { etag: '*' });
    assert.equal((await store.get<{ v: number }>('c', 'k'))?.value.v, 2);
    await assert.rejects(store.put('c', 'k', { v: 3 }, { ifAbsent: true }), ConflictError);
  });

  it('refuses a conditional update of a document someone deleted', async () => {
    const etag = await store.put('c', 'k', { v: 1 });
    await store.delete('c', 'k');
    await assert.rejects(store.put('c', 'k', { v: 2 }, { etag }), ConflictError);
  });

  it('queries by index range and prefix, ordered by index then key', async () => {
    await store.put('jobs', 'b', 1, { index: 'due|2026-01-02' });
    await store.put('jobs', 'a', 2, { index: 'due|2026-01-01' });
    await store.put('jobs', 'c', 3, { index: 'failed|2026-01-01' });
    const due = await store.query('jobs', { indexPrefix: 'due|' });
    assert.deepEqual(due.map((d) => d.key), ['a', 'b']);
    const early = await store.query('jobs', { indexFrom: 'due|', indexBefore: 'due|2026-01-02' });
    assert.deepEqual(early.map((d) => d.key), ['a']);
    assert.equal(await store.count('jobs', { indexPrefix: 'failed|' }), 1);
  });

  it('keeps the index when a write does not mention it', async () => {
    await store.put('c', 'k', 1, { index: 'x' });
    await store.put('c', 'k', 2);
    assert.equal((await store.get('c', 'k'))?.index, 'x');
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
    const before = { bytes: fs.readFileSync(file), files: fs.readdirSync(path.dirname(file)).sort() };
    const reader = new SqliteStore(file, undefined, { readOnly: true });
    try {
      assert.deepEqual((await reader.get('c', 'k'))?.value, { v: 1 });
      await assert.rejects(reader.put('c', 'k', { v: 2 }), StorageError);
    } finally {
      await reader.close();
    }
    assert.ok(fs.readFileSync(file).equals(before.bytes));
    assert.deepEqual(fs.readdirSync(path.dirname(file)).sort(), before.files);
    assert.throws(() => new SqliteStore(path.join(dir, 'missing.db'), undefined, { readOnly: true }), StorageError);
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

describe('botbuilder Storage over the document store', () => {
  it('follows botbuilder eTag rules: stale write rejected, "*" and missing eTag overwrite', async () => {
    const store = new SqliteStore(':memory:');
    const storage = new DocumentBotStorage(store);
    await storage.write({ 'user/1': { count: 1 } });
    const read1 = await storage.read(['user/1', 'missing']);
    assert.deepEqual(Object.keys(read1), ['user/1']);
    const etag = read1['user/1'].eTag as string;
    await storage.write({ 'user/1': { count: 2, eTag: etag } });
    await assert.rejects(storage.write({ 'user/1': { count: 3, eTag: etag } }), /eTag conflict/);
    await storage.write({ 'user/1': { count: 4, eTag: '*' } });
    await storage.write({ 'user/1': { count: 5 } });
    assert.equal((await storage.read(['user/1']))['user/1'].count, 5);
    await storage.delete(['user/1']);
    assert.deepEqual(await storage.read(['user/1']), {});
    await store.close();
  });
});
