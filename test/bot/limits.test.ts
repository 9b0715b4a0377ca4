import assert from 'node:assert/strict';
import { startHarness, userOf, cardText, type Harness } from '../helpers/harness';
import * as build from '../helpers/activities';

describe('inbound limits', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { USER_TURNS_PER_MINUTE: '6' } });
  });
  after(async () => {
    await h.close();
  });

  it('answers someone sending too fast once, politely, and does not process the extra messages', async () => {
    const user = userOf(h.practice.users[5]);
    const replies: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const r = await h.say(user, 'help');
      replies.push(...r.map((a) => String(a.text ?? 'card')));
    }
    const slowDowns = replies.filter((t) => /faster than I can keep up/.test(t));
    assert.equal(slowDowns.length, 1, 'one notice, not one per message');
    assert.ok(replies.filter((t) => t === 'card').length <= 7, 'extra messages were not processed');
  });

  it('answers a click storm with a card saying to wait', async () => {
    const user = userOf(h.practice.users[6]);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => h.click(user, 'status.mine')),
    );
    assert.ok(results.every((r) => r.status === 200));
    assert.ok(results.some((r) => /faster than I can keep up/.test(cardText(r.body.value))));
  });

  it('caps the text it reads and refuses binary-looking text', async () => {
    const user = userOf(h.practice.users[7]);
    const [long] = await h.say(user, 'x'.repeat(2500));
    assert.match(String(long.text), /too long/);
    const res = await h.post(build.message(user, '\u0000\u0001abc', h.options));
    assert.equal(res.status, 200);
  });
});
