import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../services/logger';
import { SendBudget } from '../../services/send-budget';
import { SharedPause } from '../../services/shared-pause';
import { StorageError, type DocumentStore } from '../../services/storage/types';
import { BACKENDS, type OpenedStore } from '../helpers/stores';

const SECOND = 1000;

/** One clock for every instance: sleeping moves it, nothing waits for real. */
function fakeTime() {
  let now = Date.parse('2026-12-07T14:00:00Z');
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += Math.max(0, ms);
    },
  };
}

type Time = ReturnType<typeof fakeTime>;

/** One bot instance's send budget, sharing its app-wide pauses through `store`. */
function instance(store: DocumentStore, time: Time, logger = silentLogger()) {
  const shared = new SharedPause({ store, logger, now: time.now });
  let published = Promise.resolve();
  const budget = new SendBudget({
    ratePerSecond: 20,
    headroom: 0,
    now: time.now,
    sleep: time.sleep,
    onAppWidePause: (pause) => void (published = shared.publish(pause)),
  });
  return {
    budget,
    shared,
    /** Teams refuses most of a burst of sends: the whole app is being throttled. */
    async throttled(retryAfterMs: number): Promise<void> {
      for (let i = 0; i < 6; i += 1) await budget.acquire(`conversation:user-${i}`, 'bulk');
      for (let i = 0; i < 6; i += 1) budget.throttled(`conversation:user-${i}`, retryAfterMs);
      await published;
    },
  };
}

for (const backend of BACKENDS) {
  describe(`the app-wide send pause across instances (${backend.name})`, function () {
    this.timeout(60_000);
    let opened: OpenedStore;

    beforeEach(async () => {
      opened = await backend.open();
    });
    afterEach(async () => {
      await opened.cleanUp();
    });

    it("holds another instance's IT card until the pause one instance found is over", async () => {
      const time = fakeTime();
      const a = instance(opened.store, time);
      const b = instance(opened.another(), time);
      await a.throttled(10 * SECOND);
      const until = a.budget.pausedUntil;
      assert.ok(until >= time.now() + 9 * SECOND, 'A pauses');

      await b.shared.refresh(b.budget);
      await b.budget.acquire('conversation:it-channel', 'priority');
      assert.ok(
        time.now() >= until,
        `B's priority send went ${(until - time.now()) / SECOND} s before the shared pause ended`,
      );
      assert.ok(b.budget.currentRate <= a.budget.currentRate, 'B goes no faster than A');
    });

    it('keeps the longer pause when a shorter one is found later', async () => {
      const time = fakeTime();
      const a = instance(opened.store, time);
      const b = instance(opened.another(), time);
      const c = instance(opened.another(), time);
      await a.throttled(30 * SECOND);
      const until = a.budget.pausedUntil;
      await b.throttled(2 * SECOND);
      assert.ok(b.budget.pausedUntil < until, 'B found a shorter pause of its own');

      await c.shared.refresh(c.budget);
      await c.budget.acquire('conversation:requester', 'priority');
      assert.ok(time.now() >= until, 'the shorter pause did not replace the longer one');
    });
  });
}

describe('the app-wide send pause when the store fails', () => {
  it('lets sends go on and warns about it once a minute', async () => {
    const time = fakeTime();
    const down = (): never => {
      throw new StorageError('the storage account cannot be reached');
    };
    const store = { get: down, put: down } as unknown as DocumentStore;
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const a = instance(store, time, createLogger('info', sink));
    await a.throttled(2 * SECOND);
    for (let i = 0; i < 5; i += 1) await a.shared.refresh(a.budget);
    await a.budget.acquire('conversation:it-channel', 'priority');
    assert.ok(time.now() >= a.budget.pausedUntil, 'its own pause still holds');
    const warned = () => lines.filter((l) => JSON.parse(l).level === 40).length;
    assert.equal(warned(), 2, `one warning for sharing, one for reading:\n${lines.join('')}`);

    await time.sleep(61 * SECOND);
    await a.shared.refresh(a.budget);
    assert.equal(warned(), 3, 'a minute on, the store is still down: said again');
  });
});
