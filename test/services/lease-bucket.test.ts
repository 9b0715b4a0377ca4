import assert from 'node:assert/strict';
import { ManualClock, MINUTE } from '../../services/clock';

const SECOND = 1000;
import { Leases } from '../../services/storage/lease';
import { SharedTokenBucket } from '../../services/storage/token-bucket';
import { BACKENDS, type OpenedStore } from '../helpers/stores';

for (const backend of BACKENDS) {
  describe(`leases and the shared send rate across instances (${backend.name})`, function () {
    this.timeout(60_000);
    let opened: OpenedStore;
    let clock: ManualClock;

    beforeEach(async () => {
      opened = await backend.open();
      clock = new ManualClock('2026-12-07T14:00:00Z');
    });
    afterEach(async () => {
      await opened.cleanUp();
    });

    describe('a lease', () => {
      it('is held by exactly one of many instances asking at once', async () => {
        const leases = [new Leases(opened.store, clock), new Leases(opened.another(), clock)];
        const holds = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            leases[i % 2]!.acquire('campaign-sender', `instance-${i}`, MINUTE),
          ),
        );
        const winners = holds.filter((h) => h !== undefined);
        assert.equal(winners.length, 1);
        assert.equal((await leases[1]!.holder('campaign-sender'))?.owner, winners[0]!.owner);
      });

      it('passes to another instance only when the holder gives it back or stops renewing', async () => {
        const [a, b] = [new Leases(opened.store, clock), new Leases(opened.another(), clock)];
        let held = (await a.acquire('sender', 'a', MINUTE))!;
        clock.advance(40 * SECOND);
        held = (await a.renew(held, MINUTE))!;
        assert.ok(held, 'the holder renews');
        clock.advance(40 * SECOND);
        assert.equal(await b.acquire('sender', 'b', MINUTE), undefined, 'renewed, so still held');
        clock.advance(MINUTE);
        const taken = await b.acquire('sender', 'b', MINUTE);
        assert.equal(taken?.fence, held.fence + 1, 'a new holder gets a higher fence');
        assert.equal(await a.renew(held, MINUTE), undefined, 'the dead holder cannot renew');
        await b.release(taken!);
        assert.equal(await a.holder('sender'), undefined);
        assert.ok(await a.acquire('sender', 'a', MINUTE), 'free at once after release');
      });
    });

    describe('the shared send rate', () => {
      it('never lets two instances together send more than the rate in any second', async () => {
        const buckets = [
          new SharedTokenBucket(opened.store, clock, 'teams', 10),
          new SharedTokenBucket(opened.another(), clock, 'teams', 10),
        ];
        const taken = await Promise.all(
          Array.from({ length: 8 }, (_, i) => buckets[i % 2]!.take(4, 5 * SECOND)),
        );
        const times = taken.flat().sort((x, y) => x - y);
        assert.equal(times.length, 32);
        for (let i = 1; i < times.length; i += 1)
          assert.ok(times[i]! - times[i - 1]! >= 100, `send ${i} is 100 ms after the one before`);
        for (const start of times)
          assert.ok(times.filter((t) => t >= start && t < start + SECOND).length <= 10);
      });

      it('hands out only what fits before the horizon, and more as time passes', async () => {
        const bucket = new SharedTokenBucket(opened.store, clock, 'teams', 4);
        assert.equal(
          (await bucket.take(10, SECOND)).length,
          5,
          'now, +250, +500, +750 and +1000 ms',
        );
        assert.deepEqual(await bucket.take(1, SECOND), []);
        clock.advance(SECOND);
        assert.equal((await bucket.take(10, SECOND)).length, 4);
      });

      it('holds every instance back after Teams asked one of them to retry later', async () => {
        const [a, b] = [
          new SharedTokenBucket(opened.store, clock, 'teams', 10),
          new SharedTokenBucket(opened.another(), clock, 'teams', 10),
        ];
        const retryAt = clock.now().getTime() + 30 * SECOND;
        await a.pauseUntil(retryAt);
        assert.deepEqual(await b.take(5, SECOND), []);
        clock.advance(30 * SECOND);
        assert.deepEqual(await b.take(1, SECOND), [retryAt]);
      });
    });
  });
}
