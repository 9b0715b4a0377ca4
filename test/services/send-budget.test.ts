import assert from 'node:assert/strict';
import { SendBudget } from '../../services/send-budget';

/** A clock the budget sleeps on: sleeping moves it, nothing waits for real. */
function fakeTime() {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += Math.max(0, ms);
    },
  };
}

describe('send budget', () => {
  it('spaces requests at the configured rate, less its headroom', async () => {
    const t = fakeTime();
    const budget = new SendBudget({ ratePerSecond: 50, headroom: 0, ...t });
    const start = t.now();
    for (let i = 0; i < 100; i += 1) await budget.acquire(`user:${i}`, 'bulk');
    assert.ok(
      t.now() - start >= 1980,
      `100 requests at 50/s take about two seconds, took ${t.now() - start} ms`,
    );
  });

  it('uses 99% of the limit, never more than the limit in a second, with room for arrival jitter', async () => {
    const t = fakeTime();
    const budget = new SendBudget({ ratePerSecond: 200, ...t });
    const times: number[] = [];
    for (let i = 0; i < 2000; i += 1) {
      await budget.acquire(`user:${i}`, 'bulk');
      times.push(t.now());
    }
    const perSecond = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    assert.ok(perSecond >= 197.9, `${perSecond.toFixed(1)} a second of a limit of 200`);
    // Any 201 in a row span more than a second by a margin: bunched by up to 9 ms on the way,
    // they still reach Teams within its limit.
    let shortest = Infinity;
    for (let i = 200; i < times.length; i += 1)
      shortest = Math.min(shortest, times[i]! - times[i - 200]!);
    assert.ok(shortest >= 1009, `201 requests within ${shortest} ms`);
  });

  it("keeps one conversation within Teams' windows: 7 a second, 8 in two seconds", async () => {
    const t = fakeTime();
    const budget = new SendBudget({ ratePerSecond: 1000, headroom: 0, ...t });
    const times: number[] = [];
    for (let i = 0; i < 16; i += 1) {
      await budget.acquire('card:admin', 'bulk');
      times.push(t.now());
    }
    for (let i = 0; i < times.length; i += 1) {
      assert.ok(times.filter((x) => x > times[i]! - 1000 && x <= times[i]!).length <= 7);
      assert.ok(times.filter((x) => x > times[i]! - 2000 && x <= times[i]!).length <= 8);
    }
  });

  it('waits out a Retry-After for that conversation only', async () => {
    const t = fakeTime();
    const budget = new SendBudget({ ratePerSecond: 100, headroom: 0, ...t });
    await budget.acquire('user:a', 'bulk');
    budget.throttled('user:a', 5000);
    const before = t.now();
    await budget.acquire('user:b', 'bulk');
    assert.ok(t.now() - before < 100, 'others carry on');
    await budget.acquire('user:a', 'bulk');
    assert.ok(t.now() - before >= 5000, 'the throttled conversation waits');
  });

  it('pauses everyone and slows down when most requests are refused', async () => {
    const t = fakeTime();
    const budget = new SendBudget({ ratePerSecond: 100, headroom: 0, ...t });
    for (let i = 0; i < 6; i += 1) await budget.acquire(`user:${i}`, 'bulk');
    for (let i = 0; i < 6; i += 1) budget.throttled(`user:${i}`, 3000);
    assert.ok(budget.pausedUntil >= t.now() + 2900);
    assert.ok(budget.currentRate < 100);
    const before = t.now();
    await budget.acquire('user:new', 'bulk');
    assert.ok(t.now() - before >= 2900, 'nobody sends during the pause');
  });
});

/** A clock with timers: sleepers wake in time order, as the clock moves to each in turn. */
function virtualTime() {
  let now = 0;
  const timers: Array<{ at: number; wake: () => void }> = [];
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) => timers.push({ at: now + Math.max(0, ms), wake })),
    /** The process was held up: time moves on and nothing woke meanwhile. */
    stall(ms: number) {
      now += ms;
    },
    /** Moves time on, timer by timer, until `done` holds or nothing is left to wake. */
    async run(done: () => boolean): Promise<void> {
      for (await flush(); !done() && timers.length; await flush()) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        now = Math.max(now, next.at);
        next.wake();
      }
    },
  };
}

describe('send budget after a stall', () => {
  it('spreads the slots it missed over the next second instead of sending them in one burst', async () => {
    const t = virtualTime();
    const budget = new SendBudget({ ratePerSecond: 200, now: t.now, sleep: t.sleep });
    const sent: number[] = [];
    for (let i = 0; i < 600; i += 1)
      void budget.acquire(`user:${i}`, 'bulk').then(() => sent.push(t.now()));
    await t.run(() => sent.length >= 100);
    t.stall(500);
    await t.run(() => sent.length === 600);
    const most = (windowMs: number) => {
      let top = 0;
      for (let i = 0, j = 0; i < sent.length; i += 1) {
        while (sent[j]! <= sent[i]! - windowMs) j += 1;
        top = Math.max(top, i - j + 1);
      }
      return top;
    };
    // Less than 100 ms apart (a send exactly 100 ms after another starts the next window).
    assert.ok(most(99.9) <= 22, `${most(99.9)} went out within 100 ms`);
    assert.ok(most(1009) <= 200, `${most(1009)} went out within a second and the jitter margin`);
  });
});

describe('send budget when Teams counts a little ahead of it', () => {
  it('takes a refusal in a full second as one, not the start of a run of them', async () => {
    const t = fakeTime();
    const budget = new SendBudget({ ratePerSecond: 200, ...t });
    const start = t.now();
    // Teams counts 200 a second by when requests arrive; the ones sent in one 50 ms stretch
    // arrive 12 ms late (a stall on the way), so a second later its count runs ahead of ours.
    const arrived: number[] = [];
    let refused = 0;
    for (let i = 0; arrived.length < 2000; i += 1) {
      await budget.acquire(`user:${i}`, 'bulk');
      const sentAt = t.now() - start;
      const at = t.now() + (sentAt >= 3000 && sentAt < 3050 ? 12 : 0);
      if (arrived.filter((a) => a > at - 1000 && a <= at).length >= 200) {
        refused += 1;
        budget.throttled(`user:${i}`, 1000);
      } else {
        arrived.push(at);
        budget.succeeded();
      }
    }
    assert.ok(
      refused <= 3,
      `${refused} refused: each refusal's replacement met the same full second`,
    );
    assert.equal(budget.pausedUntil, 0, 'a few refusals do not pause everyone');
  });
});

describe('send budget lanes', () => {
  it('lets a priority send (IT, a notice) go ahead of a queue of nudges', async () => {
    const t = virtualTime();
    const budget = new SendBudget({ ratePerSecond: 50, headroom: 0, now: t.now, sleep: t.sleep });
    const nudgesDone: number[] = [];
    for (let i = 0; i < 200; i += 1)
      void budget.acquire(`user:${i}`, 'bulk').then(() => nudgesDone.push(t.now()));
    await t.run(() => nudgesDone.length >= 20);
    let ticketAt: number | undefined;
    const askedAt = t.now();
    void budget.acquire('conversation:it-channel', 'priority').then(() => (ticketAt = t.now()));
    await t.run(() => ticketAt !== undefined && nudgesDone.length === 200);
    assert.ok(
      ticketAt! - askedAt <= 2 * (1000 / 50),
      `the ticket waited ${ticketAt! - askedAt} ms, not behind ${200 - 20} nudges`,
    );
    assert.equal(nudgesDone.length, 200, 'the nudges all went out too');
  });

  it('keeps bulk a request a second short of the rate while priority traffic is about', async () => {
    const t = virtualTime();
    const budget = new SendBudget({
      ratePerSecond: 20,
      headroom: 0,
      priorityReserve: 1,
      now: t.now,
      sleep: t.sleep,
    });
    const sent: Array<{ at: number; lane: string }> = [];
    for (let i = 0; i < 100; i += 1)
      void budget.acquire(`user:${i}`, 'bulk').then(() => sent.push({ at: t.now(), lane: 'bulk' }));
    await t.run(() => sent.length >= 40);
    const bulkFullSpeed = sent.filter((s) => s.at > t.now() - 1000).length;
    assert.equal(bulkFullSpeed, 20, 'alone, bulk uses the whole limit');
    const itStarted = t.now();
    for (let i = 0; i < 3; i += 1)
      void budget
        .acquire(`conversation:${i}`, 'priority')
        .then(() => sent.push({ at: t.now(), lane: 'priority' }));
    await t.run(() => sent.length === 103);
    for (const s of sent) {
      const second = sent.filter((x) => x.at > s.at - 1000 && x.at <= s.at);
      assert.ok(second.length <= 20, `${second.length} sent in the second before ${s.at}`);
      if (s.at - 1000 >= itStarted)
        assert.ok(second.filter((x) => x.lane === 'bulk').length <= 19, 'bulk leaves one a second');
    }
  });
});
