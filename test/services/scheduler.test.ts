import assert from 'node:assert/strict';
import { ManualClock, MINUTE, DAY } from '../../services/clock';
import { silentLogger } from '../../services/logger';
import { Scheduler } from '../../services/scheduler';
import type { DocumentStore } from '../../services/storage/types';
import { BACKENDS, type OpenedStore } from '../helpers/stores';

for (const backend of BACKENDS)
  describe(`Scheduler (${backend.name})`, function () {
    this.timeout(60_000);
    let opened: OpenedStore;
    let store: DocumentStore;
    let clock: ManualClock;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      clock = new ManualClock('2026-03-02T08:00:00Z');
    });

    afterEach(async () => {
      await opened.cleanUp();
    });

    const scheduler = (s = store, opts = {}) =>
      new Scheduler(s, clock, silentLogger(), { retryDelayMs: MINUTE, ...opts });

    it('runs a job once when it is due, not before', async () => {
      const s = scheduler();
      const seen: string[] = [];
      s.register<{ who: string }>('remind', async (p) => {
        seen.push(p.who);
      });
      await s.schedule('remind', new Date(clock.now().getTime() + DAY), { who: 'nora' });
      assert.equal(await s.runDue(), 0);
      clock.advance(DAY);
      assert.equal(await s.runDue(), 1);
      assert.equal(await s.runDue(), 0);
      assert.deepEqual(seen, ['nora']);
    });

    it('keeps jobs across a restart of the process', async () => {
      await scheduler().schedule('remind', new Date(clock.now().getTime() + 3 * DAY), {
        who: 'sam',
      });
      await store.close();
      store = opened.another();
      const after = scheduler();
      const seen: string[] = [];
      after.register<{ who: string }>('remind', async (p) => {
        seen.push(p.who);
      });
      clock.advance(3 * DAY);
      await after.runDue();
      assert.deepEqual(seen, ['sam']);
    });

    it('runs a due job exactly once when two loops race for it', async () => {
      const second = opened.another();
      let runs = 0;
      const a = scheduler();
      const b = scheduler(second);
      for (const s of [a, b]) {
        s.register('count', async () => {
          runs += 1;
        });
      }
      for (let i = 0; i < 20; i += 1) await a.schedule('count', clock.now(), { i });
      await Promise.all([a.runDue(), b.runDue()]);
      assert.equal(runs, 20);
    });

    it('retries a failing job later, then marks it failed after the last attempt', async () => {
      const s = scheduler(store, { maxAttempts: 2 });
      let calls = 0;
      s.register('flaky', async () => {
        calls += 1;
        throw new Error('connector down');
      });
      await s.schedule('flaky', clock.now(), {});
      await s.runDue();
      assert.equal(calls, 1);
      await s.runDue();
      assert.equal(calls, 1, 'not retried before its delay');
      clock.advance(2 * MINUTE);
      await s.runDue();
      assert.equal(calls, 2);
      const failed = await s.failed();
      assert.equal(failed.length, 1);
      assert.equal(failed[0].lastError, 'connector down');
    });

    it('runs a job again after its lease when the process that claimed it died', async () => {
      const s = scheduler(store, { leaseMs: 2 * MINUTE });
      let finish = false;
      s.register('slow', async () => {
        if (!finish) throw Object.assign(new Error('killed'), { simulateCrash: true });
      });
      await s.schedule('slow', clock.now(), {});
      // Simulate a claim whose process died: claim by hand through a pass that never records.
      const [doc] = await store.query('jobs', { indexPrefix: 'due|' });
      await store.put(
        'jobs',
        doc.key,
        { ...(doc.value as object), attempts: 1 },
        {
          etag: doc.etag,
          index: `due|${new Date(clock.now().getTime() + 2 * MINUTE).toISOString()}`,
        },
      );
      finish = true;
      assert.equal(await s.runDue(), 0, 'still leased');
      clock.advance(3 * MINUTE);
      assert.equal(await s.runDue(), 1);
    });

    it('replaces the pending job when scheduled again with the same id', async () => {
      const s = scheduler();
      await s.schedule('remind', new Date(clock.now().getTime() + DAY), { n: 1 }, 'snooze:nora');
      await s.schedule(
        'remind',
        new Date(clock.now().getTime() + 3 * DAY),
        { n: 2 },
        'snooze:nora',
      );
      const pending = await s.pending('remind');
      assert.equal(pending.length, 1);
      assert.deepEqual(pending[0].payload, { n: 2 });
    });

    it('does not drop a job whose kind has no handler: it is marked failed with the reason', async () => {
      const s = scheduler();
      await s.schedule('unknown-kind', clock.now(), {});
      await s.runDue();
      const failed = await s.failed();
      assert.match(failed[0].lastError ?? '', /no handler/);
    });

    it('makes one daily round however many instances start it, and never puts one that ran back to now', async () => {
      const [a, b] = [scheduler(store), scheduler(opened.another())];
      let runs = 0;
      for (const s of [a, b])
        s.register('daily', async () => {
          runs += 1;
          await s.schedule('daily', new Date(clock.now().getTime() + DAY), {}, 'daily-round');
        });
      const stored = await Promise.all(
        [a, b, a, b].map((s) => s.scheduleOnce('daily', clock.now(), {}, 'daily-round')),
      );
      assert.equal(stored.filter(Boolean).length, 1);
      assert.equal((await a.pending('daily')).length, 1);
      assert.equal(await a.runDue(), 1);
      // An instance starting later in the day finds tomorrow's job and leaves it.
      assert.equal(await b.scheduleOnce('daily', clock.now(), {}, 'daily-round'), false);
      assert.equal(await b.runDue(), 0);
      assert.equal(runs, 1);
      clock.advance(DAY);
      assert.equal(await b.runDue(), 1);
      assert.equal(runs, 2);
    });

    it('starts a round that failed for good again', async () => {
      const s = scheduler(store, { maxAttempts: 1 });
      s.register('daily', () => Promise.reject(new Error('the channel is gone')));
      await s.scheduleOnce('daily', clock.now(), {}, 'daily-round');
      await s.runDue();
      assert.equal((await s.failed()).length, 1);
      assert.equal(await s.scheduleOnce('daily', clock.now(), {}, 'daily-round'), true);
      assert.equal((await s.pending('daily')).length, 1);
    });
  });
