import assert from 'node:assert/strict';
import {
  ConversationState,
  MemoryStorage,
  TestAdapter,
  TurnContext,
  type Activity,
} from 'botbuilder';
import { DocumentBotStorage } from '../../services/storage/bot-storage';
import { ConflictError, type DocumentStore } from '../../services/storage/types';
import { AZURE_SPREAD, BACKENDS, type OpenedStore } from '../helpers/stores';

/**
 * What every storage backend promises the rest of the bot (services/storage/types.ts). The same
 * tests run against SQLite and against Azure Table storage on Azurite; "another instance" is a
 * second store over the same data, as a second bot process would open it.
 */
for (const backend of [...BACKENDS, AZURE_SPREAD]) {
  describe(`storage contract: ${backend.name}`, function () {
    this.timeout(60_000);
    let opened: OpenedStore;
    let store: DocumentStore;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.cleanUp();
    });

    it('reads back what was written, with its eTag and index, and nothing for a missing key', async () => {
      const etag = await store.put(
        'tickets',
        'MFA-0001',
        { status: 'open', notes: ['é', '🔐'] },
        { index: 'active|2026' },
      );
      assert.deepEqual(await store.get('tickets', 'MFA-0001'), {
        key: 'MFA-0001',
        value: { status: 'open', notes: ['é', '🔐'] },
        etag,
        index: 'active|2026',
      });
      assert.equal(await store.get('tickets', 'MFA-0002'), undefined);
      assert.equal(await store.get('other', 'MFA-0001'), undefined, 'collections are apart');
    });

    it('rejects a write with a stale eTag and keeps the newer value', async () => {
      const first = await store.put('tickets', 't1', { status: 'open' });
      const second = await store.put('tickets', 't1', { status: 'assigned' }, { etag: first });
      assert.notEqual(second, first);
      await assert.rejects(
        store.put('tickets', 't1', { status: 'resolved' }, { etag: first }),
        ConflictError,
      );
      const doc = await store.get<{ status: string }>('tickets', 't1');
      assert.equal(doc?.value.status, 'assigned');
      assert.equal(doc?.etag, second);
    });

    it('overwrites with "*" and refuses ifAbsent when the key exists', async () => {
      await store.put('c', 'k', { v: 1 });
      await store.put('c', 'k', { v: 2 }, { etag: '*' });
      assert.equal((await store.get<{ v: number }>('c', 'k'))?.value.v, 2);
      await assert.rejects(store.put('c', 'k', { v: 3 }, { ifAbsent: true }), ConflictError);
      assert.equal((await store.get<{ v: number }>('c', 'k'))?.value.v, 2);
    });

    it('refuses a conditional update of a document someone deleted', async () => {
      const etag = await store.put('c', 'k', { v: 1 }, { index: 'x' });
      assert.equal(await store.delete('c', 'k'), true);
      await assert.rejects(store.put('c', 'k', { v: 2 }, { etag }), ConflictError);
      assert.equal(await store.get('c', 'k'), undefined);
    });

    it('never hands out an eTag twice for one key, even after a delete', async () => {
      const first = await store.put('c', 'k', { v: 1 });
      await store.delete('c', 'k');
      const again = await store.put('c', 'k', { v: 1 });
      assert.notEqual(
        again,
        first,
        'a card holding the old eTag must not pass for the new document',
      );
      await assert.rejects(store.put('c', 'k', { v: 2 }, { etag: first }), ConflictError);
    });

    it('deletes only with the current eTag, and says whether it deleted anything', async () => {
      const first = await store.put('c', 'k', { v: 1 }, { index: 'due|1' });
      const second = await store.put('c', 'k', { v: 2 }, { etag: first });
      await assert.rejects(store.delete('c', 'k', { etag: first }), ConflictError);
      assert.equal((await store.get<{ v: number }>('c', 'k'))?.value.v, 2);
      assert.equal(await store.delete('c', 'k', { etag: second }), true);
      assert.equal(await store.delete('c', 'k'), false);
      assert.equal(
        await store.count('c', { indexPrefix: 'due|' }),
        0,
        'its index entry went with it',
      );
      const third = await store.put('c', 'k', { v: 3 }, { ifAbsent: true });
      assert.equal((await store.get('c', 'k'))?.etag, third, 'the key can be taken again');
    });

    it('queries by index range and prefix, ordered by index then key', async () => {
      await store.put('jobs', 'b', 1, { index: 'due|2026-01-02' });
      await store.put('jobs', 'a', 2, { index: 'due|2026-01-01' });
      await store.put('jobs', 'c', 3, { index: 'failed|2026-01-01' });
      await store.put('jobs', 'd', 4, { index: 'due|2026-01-01' });
      await store.put('jobs', 'e', 5);
      const due = await store.query('jobs', { indexPrefix: 'due|' });
      assert.deepEqual(
        due.map((d) => d.key),
        ['a', 'd', 'b'],
      );
      const early = await store.query('jobs', { indexFrom: 'due|', indexBefore: 'due|2026-01-02' });
      assert.deepEqual(
        early.map((d) => d.key),
        ['a', 'd'],
      );
      assert.deepEqual(
        (await store.query('jobs', { indexFrom: 'due|2026-01-01\u0000' })).map((d) => d.key),
        ['b', 'c'],
      );
      assert.deepEqual(
        (await store.query('jobs', { indexBefore: 'due|2026-01-02' })).map((d) => d.key),
        ['a', 'd'],
      );
      assert.deepEqual(
        (await store.query('jobs', { indexPrefix: 'due|', limit: 2 })).map((d) => d.key),
        ['a', 'd'],
      );
      assert.equal(await store.count('jobs', { indexPrefix: 'failed|' }), 1);
      assert.equal(await store.count('jobs'), 5);
      assert.deepEqual(
        (await store.query('jobs')).map((d) => d.key),
        ['e', 'a', 'd', 'b', 'c'],
        'no index first, then by index',
      );
    });

    it('adds many documents at once, keeping those already there, each readable and indexed', async () => {
      await store.put('outbox', 'N1/u003', { kept: true }, { index: 'N1|3|sent|' });
      await store.put('outbox', 'N1/u100', { kept: true });
      const docs = Array.from({ length: 130 }, (_, i) => ({
        key: `N1/u${String(i).padStart(3, '0')}`,
        value: { i, name: i === 7 ? 'Zoë 🔐' : `u${i}` },
        index: i % 10 === 0 ? null : `N1|1|${String(i).padStart(3, '0')}`,
      }));
      // The same key twice adds the first, as two puts in a row would.
      const added = await store.addAll('outbox', [
        ...docs,
        { key: 'N1/u001', value: { i: -1, name: 'again' } },
      ]);
      assert.equal(added, 128);
      assert.deepEqual((await store.get('outbox', 'N1/u003'))?.value, { kept: true });
      assert.equal((await store.get('outbox', 'N1/u003'))?.index, 'N1|3|sent|');
      assert.deepEqual((await store.get('outbox', 'N1/u100'))?.value, { kept: true });
      assert.deepEqual((await store.get('outbox', 'N1/u001'))?.value, { i: 1, name: 'u1' });
      assert.deepEqual((await store.get('outbox', 'N1/u007'))?.value, { i: 7, name: 'Zoë 🔐' });
      assert.equal(await store.count('outbox'), 130);
      const queued = await store.query('outbox', { indexPrefix: 'N1|1|' });
      assert.equal(queued.length, 130 - 13 - 1, 'unindexed ones and the kept one are not queued');
      assert.deepEqual(
        queued.slice(0, 3).map((d) => d.key),
        ['N1/u001', 'N1/u002', 'N1/u004'],
      );
      // Each added document takes conditional writes like any other.
      const doc = await store.get<{ i: number }>('outbox', 'N1/u042');
      await store.put(
        'outbox',
        'N1/u042',
        { i: 42, sent: true },
        { etag: doc!.etag, index: 'N1|3|' },
      );
      await assert.rejects(
        store.put('outbox', 'N1/u042', { i: 0 }, { etag: doc!.etag }),
        ConflictError,
      );
      assert.equal(await store.addAll('outbox', docs), 0, 'adding them again adds nothing');
      assert.equal(await store.count('outbox', { indexPrefix: 'N1|3|' }), 2);
    });

    it('gives the first documents by index when a query has a limit, however many there are', async () => {
      // Index order is the reverse of key order, and the keys are many, so a backend that takes
      // the first rows it happens to read (of one partition, say) gives the wrong ones.
      const keys = Array.from({ length: 40 }, (_, i) => `N1/u${String(i).padStart(2, '0')}`);
      for (const [i, key] of keys.entries())
        await store.put('outbox', key, { i }, { index: `N1|1|${String(99 - i).padStart(2, '0')}` });
      const first = await store.query<{ i: number }>('outbox', { indexPrefix: 'N1|1|', limit: 5 });
      assert.deepEqual(
        first.map((d) => d.key),
        keys.slice(-5).reverse(),
      );
      assert.equal(await store.count('outbox', { indexPrefix: 'N1|1|' }), 40);
      assert.equal(await store.count('outbox', { keyPrefix: 'N1/' }), 40);
    });

    it('queries by key prefix, ordered by index then key, alone or with an index condition', async () => {
      await store.put('outbox', 'NUDGE-0002/u1', 1, { index: 'N2|1|b' });
      await store.put('outbox', 'NUDGE-0001/u2', 2, { index: 'N1|1|b' });
      await store.put('outbox', 'NUDGE-0001/u1', 3, { index: 'N1|1|c' });
      await store.put('outbox', 'NUDGE-0001/u3', 4, { index: 'N1|1|a' });
      await store.put('outbox', 'NUDGE-00010/u1', 5, { index: 'N10|1|a' });
      const rows = await store.query('outbox', { keyPrefix: 'NUDGE-0001/' });
      assert.deepEqual(
        rows.map((d) => d.key),
        ['NUDGE-0001/u3', 'NUDGE-0001/u2', 'NUDGE-0001/u1'],
      );
      assert.equal(await store.count('outbox', { keyPrefix: 'NUDGE-0001' }), 4);
      const both = await store.query('outbox', {
        keyPrefix: 'NUDGE-0001/',
        indexPrefix: 'N1|1|',
        limit: 2,
      });
      assert.deepEqual(
        both.map((d) => d.key),
        ['NUDGE-0001/u3', 'NUDGE-0001/u2'],
      );
      assert.equal(
        await store.count('outbox', { keyPrefix: 'NUDGE-0002/', indexPrefix: 'N1|' }),
        0,
      );
    });

    it('keeps the index when a write does not mention it, and clears it with null', async () => {
      await store.put('c', 'k', 1, { index: 'x' });
      await store.put('c', 'k', 2);
      assert.equal((await store.get('c', 'k'))?.index, 'x');
      assert.equal(await store.count('c', { indexPrefix: 'x' }), 1);
      await store.put('c', 'k', 3, { index: null });
      assert.equal((await store.get('c', 'k'))?.index, null);
      assert.equal(await store.count('c', { indexPrefix: 'x' }), 0);
      assert.equal(await store.count('c'), 1);
    });

    it('keeps any key and index text apart and in byte order: slashes, #, ?, quotes, spaces, accents, emoji', async () => {
      const keys = [
        'a/b',
        'a#b',
        'a?b',
        "a'b",
        'a"b',
        'a\\b',
        'a b',
        'a%2Fb',
        'a~b',
        'aé',
        'a🔐',
        'a\tb',
        'a',
        'A',
        'a/',
      ];
      for (const [i, key] of keys.entries())
        await store.put('odd', key, { i }, { index: `idx ${key}` });
      for (const [i, key] of keys.entries())
        assert.deepEqual((await store.get('odd', key))?.value, { i }, key);
      const bytes = (s: string) => Buffer.from(s);
      const sorted = [...keys].sort((x, y) => Buffer.compare(bytes(x), bytes(y)));
      assert.deepEqual(
        (await store.query('odd', { keyPrefix: '' })).map((d) => d.key),
        sorted,
      );
      assert.deepEqual(
        (await store.query('odd', { indexPrefix: 'idx a' })).map((d) => d.key),
        sorted.filter((k) => k.startsWith('a')),
      );
      assert.deepEqual(
        (await store.query('odd', { keyPrefix: 'a/' })).map((d) => d.key),
        ['a/', 'a/b'],
      );
      assert.deepEqual(
        (await store.query('odd', { indexPrefix: 'idx a/' })).map((d) => d.key),
        ['a/', 'a/b'],
      );
    });

    it('scans a key prefix page by page in key order, each document once even while they are rewritten', async () => {
      const keys = Array.from({ length: 23 }, (_, i) => `N1/u${String(i).padStart(2, '0')}`);
      for (const key of [...keys].reverse())
        await store.put('outbox', key, { n: 0 }, { index: 'q' });
      await store.put('outbox', 'N10/u00', { n: 0 });
      await store.put('outbox', 'N0/u00', { n: 0 });
      const seen: string[] = [];
      const sizes: number[] = [];
      for await (const page of store.scan<{ n: number }>('outbox', {
        keyPrefix: 'N1/',
        pageSize: 5,
      })) {
        sizes.push(page.length);
        for (const doc of page) {
          seen.push(doc.key);
          // Moving documents to another index (as a sender does) must not make the scan repeat them.
          await store.put('outbox', doc.key, { n: 1 }, { etag: doc.etag, index: 'sent' });
        }
      }
      assert.deepEqual(seen, keys);
      assert.ok(
        sizes.every((n) => n <= 5),
        `pages of at most 5: ${sizes.join(',')}`,
      );
      const all: string[] = [];
      for await (const page of store.scan('outbox')) all.push(...page.map((d) => d.key));
      assert.deepEqual(all, ['N0/u00', ...keys, 'N10/u00']);
      for await (const page of store.scan('nothing-here')) assert.fail(`a page: ${page.length}`);
    });

    it('keeps data for another instance and across a restart', async () => {
      await store.put('c', 'k', { a: 1 }, { index: 'i' });
      const other = opened.another();
      assert.deepEqual((await other.get('c', 'k'))?.value, { a: 1 });
      assert.deepEqual(
        (await other.query('c', { indexPrefix: 'i' })).map((d) => d.key),
        ['k'],
      );
      await other.ping();
    });

    describe('with several writers at once', () => {
      it('ends with the exact count when 16 writers in two instances compare-and-swap one document', async () => {
        const stores = [store, opened.another()];
        await store.put('counters', 'n', { n: 0 });
        const writer = async (s: DocumentStore, times: number) => {
          for (let i = 0; i < times; i += 1) {
            for (;;) {
              const doc = (await s.get<{ n: number }>('counters', 'n'))!;
              try {
                await s.put(
                  'counters',
                  'n',
                  { n: doc.value.n + 1 },
                  { etag: doc.etag, index: `n|${doc.value.n + 1}` },
                );
                break;
              } catch (err) {
                if (!(err instanceof ConflictError)) throw err;
              }
            }
          }
        };
        await Promise.all(Array.from({ length: 16 }, (_, i) => writer(stores[i % 2]!, 5)));
        const doc = await store.get<{ n: number }>('counters', 'n');
        assert.equal(doc?.value.n, 80);
        assert.equal(doc?.index, 'n|80');
        assert.equal(
          await store.count('counters', { indexPrefix: 'n|' }),
          1,
          'one index entry, not one per write',
        );
      });

      it('lets exactly one of 16 take a lock written with ifAbsent', async () => {
        const stores = [store, opened.another()];
        const results = await Promise.allSettled(
          Array.from({ length: 16 }, (_, i) =>
            stores[i % 2]!.put(
              'locks',
              'campaign-sender',
              { owner: i },
              { ifAbsent: true, index: 'held' },
            ),
          ),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.ok(
          refused.every((r) => r.reason instanceof ConflictError),
          String(refused.find((r) => !(r.reason instanceof ConflictError))?.reason),
        );
        assert.equal(await store.count('locks', { indexPrefix: 'held' }), 1);
      });

      it('loses no write and leaves one index entry when unconditional writes race', async () => {
        const stores = [store, opened.another()];
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            stores[i % 2]!.put('c', 'shared', { i }, { index: `at|${i % 3}` }),
          ),
        );
        const doc = await store.get<{ i: number }>('c', 'shared');
        assert.equal(
          doc?.index,
          `at|${doc!.value.i % 3}`,
          'the index belongs to the value that won',
        );
        assert.equal(await store.count('c', { indexPrefix: 'at|' }), 1);
      });

      it('never shows a query a document twice or not at all while it moves from one index to another', async () => {
        for (let i = 0; i < 20; i += 1)
          await store.put('jobs', `job-${i}`, { i }, { index: `due|${i % 2}` });
        const other = opened.another();
        let moving = true;
        const mover = (async () => {
          for (let round = 0; moving && round < 200; round += 1) {
            const i = round % 20;
            await other.put(
              'jobs',
              `job-${i}`,
              { i, round },
              { index: `due|${(round + i) % 2}|moved` },
            );
          }
        })();
        try {
          for (let q = 0; q < 15; q += 1) {
            const seen = (await store.query('jobs', { indexPrefix: 'due|' })).map((d) => d.key);
            assert.equal(seen.length, 20, `query ${q} saw ${seen.length}`);
            assert.equal(new Set(seen).size, 20);
            assert.equal(await store.count('jobs', { indexPrefix: 'due|' }), 20);
          }
        } finally {
          moving = false;
          await mover;
        }
      });
    });

    describe('botbuilder state', () => {
      const key = 'msteams/conversations/19:abc@thread.tacv2/conversation';

      it('refuses a blind "*" overwrite, and a stale eTag, with botbuilder\'s conflict error', async () => {
        const storage = new DocumentBotStorage(store);
        await storage.write({ [key]: { count: 1 } });
        await assert.rejects(storage.write({ [key]: { count: 9, eTag: '*' } }), /eTag conflict/);
        await assert.rejects(storage.write({ [key]: { count: 9 } }), /eTag conflict/);
        const read = await storage.read([key, 'missing']);
        assert.deepEqual(Object.keys(read), [key]);
        const etag = read[key].eTag as string;
        await storage.write({ [key]: { count: 2, eTag: etag } });
        await assert.rejects(storage.write({ [key]: { count: 3, eTag: etag } }), /eTag conflict/);
        assert.equal((await storage.read([key]))[key].count, 2);
        await storage.delete([key]);
        assert.deepEqual(await storage.read([key]), {});
      });

      it("keeps both turns' updates when two instances save one conversation's state at once", async () => {
        // MemoryStorage (botbuilder's own) shows the loss this storage prevents.
        const loses = await countAfterRacingTurns(() => new MemoryStorage(), new MemoryStorage());
        assert.equal(loses, 1, 'botbuilder writes "*", so one of the two increments is lost');
        const instances = [new DocumentBotStorage(store), new DocumentBotStorage(opened.another())];
        assert.equal(await countAfterRacingTurns(() => instances.shift()!), 2);
      });
    });
  });
}

/**
 * Two turns of one conversation, each in its own bot instance with its own ConversationState,
 * both read the counter and then both save; a turn whose save is refused runs again, as the
 * bot's error handling would redeliver it. Returns the final count.
 */
async function countAfterRacingTurns(
  makeStorage: () => DocumentBotStorage | MemoryStorage,
  shared?: MemoryStorage,
): Promise<number> {
  const storages = [shared ?? makeStorage(), shared ?? makeStorage()];
  const states = storages.map((s) => new ConversationState(s));
  const adapter = new TestAdapter(async () => undefined);
  const activity: Partial<Activity> = {
    type: 'message',
    channelId: 'msteams',
    conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u', name: 'u' },
    recipient: { id: 'b', name: 'b' },
  };
  let reads = 0;
  let bothRead!: () => void;
  const ready = new Promise<void>((r) => (bothRead = r));
  const turn = async (state: ConversationState) => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const context = new TurnContext(adapter, { ...activity });
      const counter = state.createProperty<number>('count');
      const n = await counter.get(context, 0);
      reads += 1;
      if (reads === 2) bothRead();
      await ready;
      await counter.set(context, n + 1);
      try {
        await state.saveChanges(context);
        return;
      } catch (err) {
        if (!/eTag conflict/.test((err as Error).message)) throw err;
      }
    }
  };
  await Promise.all(states.map((state) => turn(state)));
  const check = new TurnContext(adapter, { ...activity });
  const fresh = new ConversationState(storages[0]!);
  return fresh.createProperty<number>('count').get(check, 0);
}
