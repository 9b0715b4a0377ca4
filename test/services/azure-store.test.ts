import assert from 'node:assert/strict';
import fc from 'fast-check';
import sinon from 'sinon';
import { AzureStore } from '../../services/storage/azure/store';
import {
  docRowKey,
  encodeKeyPart,
  indexRange,
  indexRowKey,
} from '../../services/storage/azure/keys';
import { entitySize, MAX_STRING_CHARS, splitValue } from '../../services/storage/azure/entity';
import { accountEndpoints, connectionStringProblem } from '../../services/storage/azure/connection';
import { AZURE_MIGRATIONS, type AzureMigration } from '../../services/storage/azure/migrations';
import { ConflictError, StorageError } from '../../services/storage/types';
import { openAzureStore, sharedAzurite, type OpenedStore } from '../helpers/stores';

const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('Azure storage: keys', () => {
  it('encodes keys into the characters Azure allows, keeping byte order and prefixes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        (a, b) => {
          const [ea, eb] = [encodeKeyPart(a), encodeKeyPart(b)];
          assert.ok(
            [...ea].every((ch) => ch > ' ' && ch < '\u007f' && !'/\\#?'.includes(ch)),
            ea,
          );
          assert.equal(Math.sign(ea < eb ? -1 : ea > eb ? 1 : 0), Math.sign(bytewise(a, b)));
          if (b.startsWith(a)) assert.ok(eb.startsWith(ea));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds exactly the index rows SQLite finds for a prefix or a range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 8 }), { maxLength: 20 }),
        fc.string({ unit: 'binary', maxLength: 4 }),
        fc.string({ unit: 'binary', maxLength: 4 }),
        (indexes, from, before) => {
          const range = indexRange({ indexFrom: from, indexBefore: before });
          for (const idx of indexes) {
            const row = indexRowKey(idx, 'k');
            const inRange = row >= range.from && row < range.before;
            assert.equal(
              inRange,
              bytewise(idx, from) >= 0 && bytewise(idx, before) < 0,
              JSON.stringify({ idx, from, before }),
            );
            const prefix = indexRange({ indexPrefix: from });
            assert.equal(row >= prefix.from && row < prefix.before, idx.startsWith(from));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a key too long for a table key (1 KiB in UTF-16) with a clear error', () => {
    assert.equal(docRowKey('a'.repeat(511)).length, 512);
    assert.throws(() => docRowKey('a'.repeat(512)), StorageError);
    assert.throws(
      () => indexRowKey('due|'.repeat(100), 'k'.repeat(200)),
      /too long for Azure Table storage/,
    );
  });
});

describe('Azure storage: entity limits, counted as Azure counts them', () => {
  it('splits a value into properties under 32 Ki UTF-16 units, never inside an emoji', () => {
    const text = `${'a'.repeat(31_999)}🔐${'é'.repeat(40_000)}`;
    const pieces = splitValue(text);
    assert.equal(pieces.join(''), text);
    assert.ok(pieces.every((p) => p.length <= MAX_STRING_CHARS));
    assert.ok(
      pieces.every((p) => !/[\ud800-\udbff]$/.test(p)),
      'no piece ends with half a surrogate pair',
    );
  });

  it('counts two bytes a character, as Azure does, where Azurite counts UTF-8', () => {
    // 300,000 ASCII characters: 300 KB in UTF-8 (Azurite), 600 KB to Azure.
    assert.equal(entitySize('p', 'r', { v: 'a'.repeat(300_000) }), 4 + 2 * 2 + 8 + 2 + 4 + 600_000);
  });
});

describe('Azure storage: connection settings', () => {
  it('derives both endpoints from the account URL, and refuses anything else', () => {
    assert.deepEqual(accountEndpoints('https://riverbend.table.core.windows.net/'), {
      tableUrl: 'https://riverbend.table.core.windows.net',
      blobUrl: 'https://riverbend.blob.core.windows.net',
    });
    assert.equal(
      accountEndpoints('https://riverbend.blob.core.usgovcloudapi.net')?.tableUrl,
      'https://riverbend.table.core.usgovcloudapi.net',
    );
    for (const bad of [
      'http://riverbend.table.core.windows.net',
      'https://example.org',
      'https://riverbend.table.core.windows.net/x',
      'nope',
    ]) {
      assert.equal(accountEndpoints(bad), undefined, bad);
    }
  });

  it('allows plain http only for an emulator on this machine', () => {
    const key = 'AccountName=a;AccountKey=eA==';
    assert.equal(
      connectionStringProblem(
        `DefaultEndpointsProtocol=https;${key};EndpointSuffix=core.windows.net`,
      ),
      undefined,
    );
    assert.equal(
      connectionStringProblem(
        `${key};TableEndpoint=http://127.0.0.1:1/a;BlobEndpoint=http://127.0.0.1:2/a`,
      ),
      undefined,
    );
    assert.match(connectionStringProblem(`${key};TableEndpoint=http://10.0.0.5/a`) ?? '', /https/);
    assert.match(connectionStringProblem('AccountName=a') ?? '', /AccountKey/);
  });
});

describe('Azure storage on Azurite', function () {
  this.timeout(60_000);
  let opened: OpenedStore;
  let store: AzureStore;
  const blobsIn = async (s: AzureStore) => {
    const names: string[] = [];
    for await (const b of s.blobs.listBlobsFlat()) names.push(b.name);
    return names;
  };

  beforeEach(async () => {
    opened = await openAzureStore({ inlineLimitChars: 50_000 });
    store = opened.store as AzureStore;
  });
  afterEach(async () => {
    await opened.cleanUp();
  });

  it('keeps a string longer than one table property in the row, in pieces', async () => {
    const note = 'x'.repeat(45_000);
    await store.put('c', 'k', { note }, { index: 'i' });
    assert.equal((await store.get<{ note: string }>('c', 'k'))?.value.note, note);
    assert.equal(
      (await store.query<{ note: string }>('c', { indexPrefix: 'i' }))[0]?.value.note,
      note,
    );
    assert.deepEqual(await blobsIn(store), []);
  });

  it('keeps a value too large for an entity in Blob Storage, and removes the blob when it is replaced or deleted', async () => {
    const big = {
      audience: Array.from({ length: 6000 }, (_, i) => `user-${i}@riverbendfm.example`),
    };
    const first = await store.put('drafts', 'd1', big, { index: 'new' });
    assert.equal((await blobsIn(store)).length, 1);
    assert.deepEqual((await store.get('drafts', 'd1'))?.value, big);
    assert.deepEqual((await store.query('drafts', { indexPrefix: 'new' }))[0]?.value, big);
    const second = await store.put('drafts', 'd1', { ...big, more: true }, { etag: first });
    assert.equal((await blobsIn(store)).length, 1, 'the older version’s blob is gone');
    await store.put('drafts', 'd1', { small: true }, { etag: second });
    assert.deepEqual(await blobsIn(store), [], 'back in the row, no blob left');
    await store.put('drafts', 'd1', big);
    await store.delete('drafts', 'd1');
    assert.deepEqual(await blobsIn(store), []);
    assert.equal(await store.get('drafts', 'd1'), undefined);
  });

  it('reads a large value consistently while another instance keeps replacing it', async () => {
    const other = opened.another();
    const version = (n: number) => ({
      n,
      rows: Array.from({ length: 5000 }, () => `row-${n}-padding-padding`),
    });
    await store.put('drafts', 'd1', version(0), { index: 'v' });
    const writer = (async () => {
      for (let n = 1; n <= 10; n += 1) await other.put('drafts', 'd1', version(n), { index: 'v' });
    })();
    for (let i = 0; i < 10; i += 1) {
      const doc = await store.get<{ n: number; rows: string[] }>('drafts', 'd1');
      assert.ok(
        doc && doc.value.rows.every((r) => r.startsWith(`row-${doc.value.n}-`)),
        'one whole version',
      );
      assert.equal((await store.query('drafts', { indexPrefix: 'v' })).length, 1);
    }
    await writer;
  });

  it('writes over a row it wrote or read last without reading it again, and still refuses a stale eTag', async () => {
    const reads = sinon.spy(store.docs, 'getEntity');
    const other = opened.another();
    try {
      const e1 = await store.put('c', 'k', { v: 1 }, { ifAbsent: true, index: 'a' });
      const e2 = await store.put('c', 'k', { v: 2 }, { etag: e1, index: 'b' });
      assert.equal(reads.callCount, 0, 'a claim and its save: one request each');
      // Another instance writes; this one's memory of the row is now out of date.
      const e3 = await other.put('c', 'k', { v: 3 }, { etag: e2 });
      await assert.rejects(store.put('c', 'k', { v: 4 }, { etag: e2 }), ConflictError);
      assert.equal(reads.callCount, 1, 'the refused write read the row once');
      await store.put('c', 'k', { v: 5 }, { etag: e3 });
      assert.equal(reads.callCount, 1);
      assert.deepEqual(
        (await store.query('c', { indexPrefix: 'b' })).map((d) => d.value),
        [{ v: 5 }],
      );
      assert.equal(await store.count('c', { indexPrefix: 'a' }), 0);
      await store.addAll('c', [{ key: 'n', value: 1, index: 'q' }]);
      const added = await other.get('c', 'n');
      reads.resetHistory();
      await store.put('c', 'n', 2, { etag: added!.etag, index: 'r' });
      assert.equal(reads.callCount, 0, 'a row added in a batch is known too');
      assert.equal(await other.count('c', { indexPrefix: 'r' }), 1);
      // Changed elsewhere and seen here through a query: the newer eTag is taken.
      const m1 = await store.put('c', 'm', { v: 1 }, { index: 'm' });
      await other.put('c', 'm', { v: 2 }, { etag: m1, index: 'm' });
      const [seen] = await store.query('c', { indexPrefix: 'm' });
      await store.put('c', 'm', { v: 3 }, { etag: seen!.etag });
      assert.deepEqual((await other.get('c', 'm'))?.value, { v: 3 });
      // Deleted and made again elsewhere: the old memory must not let an old eTag through.
      const n2 = (await store.get('c', 'n'))!.etag;
      await other.delete('c', 'n');
      await other.put('c', 'n', 3, { ifAbsent: true });
      await assert.rejects(store.put('c', 'n', 4, { etag: n2 }), ConflictError);
    } finally {
      reads.restore();
    }
  });

  it('reads a tombstone left by an interrupted delete as absent, and writes over it', async () => {
    await store.put('c', 'k', { v: 1 }, { index: 'i' });
    const row = await store.docs.getEntity('c', docRowKey('k'));
    // What a delete leaves when it stops between its two steps.
    await store.docs.submitTransaction([
      [
        'update',
        { partitionKey: 'c', rowKey: docRowKey('k'), k: 'k', ver: '9.dead', at: 'x', gone: true },
        'Replace',
        { etag: row.etag },
      ],
      ['delete', { partitionKey: 'c', rowKey: indexRowKey('i', 'k') }],
    ]);
    assert.equal(await store.get('c', 'k'), undefined);
    assert.equal(await store.count('c'), 0);
    assert.equal(await store.delete('c', 'k'), false);
    await store.put('c', 'k', { v: 2 }, { ifAbsent: true, index: 'i' });
    assert.deepEqual(
      (await store.query('c', { indexPrefix: 'i' })).map((d) => d.value),
      [{ v: 2 }],
    );
  });

  it('applies numbered migrations once, recorded, even when two instances start together', async () => {
    const { connectionString } = await sharedAzurite();
    const runs: number[] = [];
    const migrations: AzureMigration[] = [
      ...AZURE_MIGRATIONS,
      {
        version: 99,
        name: 'count runs',
        async up() {
          runs.push(99);
          await new Promise((r) => setTimeout(r, 200));
        },
      },
    ];
    const prefix = `m${Date.now().toString(36)}`;
    const make = () => new AzureStore({ connection: { connectionString }, prefix, migrations });
    const [a, b] = [make(), make()];
    await Promise.all([a.ping(), b.ping()]);
    await make().ping();
    assert.deepEqual(runs, [99]);
    const recorded: string[] = [];
    for await (const e of a.meta.listEntities<{ name: string }>())
      recorded.push(`${e.rowKey}:${e.name}`);
    assert.deepEqual(recorded, [
      ...AZURE_MIGRATIONS.map((m) => `${String(m.version).padStart(6, '0')}:${m.name}`),
      '000099:count runs',
    ]);
    await Promise.all([a.docs.deleteTable(), a.meta.deleteTable(), a.blobs.deleteIfExists()]);
  });

  it('moves an outbox and saved chats kept in one partition each into their spread partitions, keeping every document, index and eTag', async () => {
    const { connectionString } = await sharedAzurite();
    const prefix = `s${Date.now().toString(36)}`;
    const connection = { connectionString };
    // The layout before the outbox was spread: one partition, and only the first migration.
    const before = new AzureStore({
      connection,
      prefix,
      migrations: AZURE_MIGRATIONS.filter((m) => m.version === 1),
      spread: () => 1,
      inlineLimitChars: 50_000,
    });
    const outbox = 'campaign-outbox';
    const etags = new Map<string, string>();
    for (let i = 0; i < 30; i += 1) {
      const key = `NUDGE-0001/u${String(i).padStart(2, '0')}`;
      const index = i % 3 === 0 ? null : `NUDGE-0001|${i % 3}|${String(30 - i).padStart(2, '0')}`;
      etags.set(
        key,
        await before.put(outbox, key, { i, note: i === 7 ? 'x'.repeat(60_000) : '' }, { index }),
      );
    }
    await before.delete(outbox, 'NUDGE-0001/u05');
    for (let i = 0; i < 20; i += 1) await before.put('conversation-refs', `user-${i}`, { i });
    etags.delete('NUDGE-0001/u05');
    const queued = (s: AzureStore) =>
      s
        .query<{ i: number }>(outbox, { indexPrefix: 'NUDGE-0001|1|' })
        .then((docs) => docs.map((d) => d.key));
    const expectedQueued = await queued(before);
    const blobsBefore: string[] = [];
    for await (const b of before.blobs.listBlobsFlat()) blobsBefore.push(b.name);

    const after = new AzureStore({ connection, prefix, inlineLimitChars: 50_000 });
    try {
      await after.ping();
      assert.deepEqual(await queued(after), expectedQueued);
      assert.equal(await after.count(outbox), 29);
      assert.equal(await after.count(outbox, { indexPrefix: 'NUDGE-0001|2|' }), 9);
      const scanned: string[] = [];
      for await (const page of after.scan(outbox, { keyPrefix: 'NUDGE-0001/' }))
        scanned.push(...page.map((d) => d.key));
      assert.deepEqual(scanned, [...etags.keys()].sort());
      for (const [key, etag] of etags)
        assert.equal((await after.get(outbox, key))?.etag, etag, key);
      assert.equal(
        (await after.get<{ note: string }>(outbox, 'NUDGE-0001/u07'))?.value.note.length,
        60_000,
      );
      assert.equal(await after.get(outbox, 'NUDGE-0001/u05'), undefined);
      for (let i = 0; i < 20; i += 1)
        assert.deepEqual((await after.get('conversation-refs', `user-${i}`))?.value, { i });
      // A sender holding an eTag read before the move can still claim its row.
      await after.put(
        outbox,
        'NUDGE-0001/u01',
        { i: 1 },
        { etag: etags.get('NUDGE-0001/u01'), index: 'NUDGE-0001|2|x' },
      );
      assert.equal(await after.count(outbox, { indexPrefix: 'NUDGE-0001|2|' }), 10);

      const partitions = new Set<string>();
      for await (const e of after.docs.listEntities()) partitions.add(e.partitionKey!);
      assert.ok(!partitions.has(outbox), 'nothing is left in the old partition');
      assert.ok(!partitions.has('conversation-refs'), 'nor in the saved chats one');
      const spread = [...partitions].filter((p) => p.startsWith(`${outbox}~`)).length;
      assert.ok(spread > 8, `the outbox is spread over ${spread} partitions`);
      const blobsAfter: string[] = [];
      for await (const b of after.blobs.listBlobsFlat()) blobsAfter.push(b.name);
      assert.deepEqual(blobsAfter, blobsBefore, 'a large value keeps its blob');
    } finally {
      await Promise.all([
        after.docs.deleteTable(),
        after.meta.deleteTable(),
        after.blobs.deleteIfExists(),
      ]);
    }
  });

  it('says plainly when the account cannot be reached', async () => {
    const unreachable = new AzureStore({
      connection: {
        connectionString:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=eA==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1',
      },
      prefix: 'unreachable',
    });
    await assert.rejects(
      unreachable.ping(),
      (err: unknown) =>
        err instanceof StorageError && /cannot prepare Azure storage/.test(err.message),
    );
  });
});
