import assert from 'node:assert/strict';
import { WindowLimiter } from '../../services/window-limiter';

/** A clock the limiter sleeps on: sleeping moves it, nothing waits for real. */
function fakeTime() {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += Math.max(0, ms);
    },
  };
}

describe('window limiter', () => {
  it('lets through at most N calls in any window, as Graph counts its reports', async () => {
    const t = fakeTime();
    const limiter = new WindowLimiter({ requests: 5, perMs: 10_000, ...t });
    const times: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      await limiter.take();
      times.push(t.now());
    }
    for (const at of times)
      assert.ok(
        times.filter((x) => x > at - 10_000 && x <= at).length <= 5,
        `more than 5 in the 10 s before ${at}`,
      );
    assert.ok(times[11]! - times[0]! >= 20_000, 'twelve calls span two full windows');
  });

  it('offers a call only when one is free and nobody is waiting for it', async () => {
    const t = fakeTime();
    const limiter = new WindowLimiter({ requests: 2, perMs: 10_000, ...t });
    assert.equal(limiter.tryTake(), true);
    assert.equal(limiter.tryTake(), true);
    assert.equal(limiter.tryTake(), false, 'the window is full');
    const waiting = limiter.take();
    t.sleep(10_500);
    assert.equal(limiter.tryTake(), false, 'a waiting caller goes first');
    await waiting;
    assert.equal(limiter.tryTake(), true, 'then there is room again');
  });
});
