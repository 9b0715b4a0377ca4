import assert from 'node:assert/strict';
import { Pacer } from '../../services/campaigns/pacer';
import { backoffMs, describeSendError, judge, parseRetryAfter } from '../../services/campaigns/failures';

/** A clock the pacer sleeps on: sleeping moves it, nothing waits for real. */
function fakeTime() {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += Math.max(0, ms);
    },
  };
}

describe('pacer', () => {
  it('spaces requests at the configured rate, less its headroom', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ ratePerSecond: 50, headroom: 0, ...t });
    const start = t.now();
    for (let i = 0; i < 100; i += 1) await pacer.acquire(`user:${i}`);
    assert.ok(t.now() - start >= 1980, `100 requests at 50/s take about two seconds, took ${t.now() - start} ms`);
  });

  it("keeps one conversation within Teams' windows: 7 a second, 8 in two seconds", async () => {
    const t = fakeTime();
    const pacer = new Pacer({ ratePerSecond: 1000, headroom: 0, ...t });
    const times: number[] = [];
    for (let i = 0; i < 16; i += 1) {
      await pacer.acquire('card:admin');
      times.push(t.now());
    }
    for (let i = 0; i < times.length; i += 1) {
      assert.ok(times.filter((x) => x > times[i]! - 1000 && x <= times[i]!).length <= 7);
      assert.ok(times.filter((x) => x > times[i]! - 2000 && x <= times[i]!).length <= 8);
    }
  });

  it('waits out a Retry-After for that conversation only', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ ratePerSecond: 100, headroom: 0, ...t });
    await pacer.acquire('user:a');
    pacer.throttled('user:a', 5000);
    const before = t.now();
    await pacer.acquire('user:b');
    assert.ok(t.now() - before < 100, 'others carry on');
    await pacer.acquire('user:a');
    assert.ok(t.now() - before >= 5000, 'the throttled conversation waits');
  });

  it('pauses everyone and slows down when most requests are refused', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ ratePerSecond: 100, headroom: 0, ...t });
    for (let i = 0; i < 6; i += 1) await pacer.acquire(`user:${i}`);
    for (let i = 0; i < 6; i += 1) pacer.throttled(`user:${i}`, 3000);
    assert.ok(pacer.pausedUntil >= t.now() + 2900);
    assert.ok(pacer.currentRate < 100);
    const before = t.now();
    await pacer.acquire('user:new');
    assert.ok(t.now() - before >= 2900, 'nobody sends during the pause');
  });
});

describe('send failures', () => {
  const restError = (statusCode: number, body: unknown, retryAfter?: string) =>
    Object.assign(new Error('refused'), { statusCode, details: body, response: { headers: { get: (h: string) => (h === 'retry-after' ? retryAfter : undefined) } } });

  it('reads 403 MessageWritesBlocked as blocked, 404 as a chat to recreate, 429 as throttled with its Retry-After', () => {
    assert.equal(judge(describeSendError(restError(403, { error: { code: 'Forbidden', subCode: 'MessageWritesBlocked' } }))).kind, 'blocked');
    assert.equal(judge(describeSendError(restError(404, { error: { code: 'ConversationNotFound' } }))).kind, 'not-installed');
    assert.deepEqual(judge(describeSendError(restError(429, {}, '7'))), { kind: 'retry', throttled: true, retryAfterMs: 7000, reason: '429' });
    for (const status of [412, 502, 503, 504]) assert.equal(judge(describeSendError(restError(status, {}))).kind, 'retry');
    assert.equal(judge(describeSendError(restError(400, { error: { code: 'BadArgument' } }))).kind, 'failed');
    assert.equal(judge(describeSendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).kind, 'retry');
  });

  it('parses Retry-After as seconds or a date, and backs off with jitter within bounds', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString(), Date.now())! > 8000, true);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(backoffMs(1, 1000, 60_000, () => 0), 500);
    assert.equal(backoffMs(3, 1000, 60_000, () => 1), 6000);
    assert.equal(backoffMs(20, 1000, 60_000, () => 0.5), 60_000);
  });
});
