import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadPractice } from '../../services/directory/practice';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { eventually, startDemo, type DemoRun } from './helpers';

const ADMIN = 'diane.whitaker';

describe('demo: a practice admin nudges the rest of the practice', function () {
  this.timeout(120_000);
  let run: DemoRun;
  before(async () => {
    run = await startDemo();
  });
  after(async () => {
    await run?.stop();
    if (run) fs.rmSync(run.dataDir, { recursive: true, force: true });
  });

  const campaignCard = async () =>
    (await run.messages(ADMIN)).find((m) => m.text.startsWith('Nudge NUDGE-'));

  it('delivers every nudge to the demo people, and the card updates itself to the end', async () => {
    assert.equal((await run.demo('say', ADMIN, 'nudge')).code, 0);
    const preview = await run.post(ADMIN, 'press', {
      button: 'Preview',
      inputs: { audience: 'no-authenticator', groups: 'Front Desk', kind: 'friendly' },
    });
    assert.equal(preview.status, 200, preview.text);
    const check = (await run.messages(ADMIN)).at(-1)!;
    const send = check.buttons.find((b) => /^Send to \d+ people$/.test(b));
    assert.ok(send, check.buttons.join(', '));
    const count = Number(/\d+/.exec(send)![0]);
    assert.equal((await run.post(ADMIN, 'press', { button: send })).status, 200);

    // Nobody presses Refresh: the card is updated in place as the campaign goes.
    const finished = await eventually('the campaign card to finish', async () => {
      const card = await campaignCard();
      return card?.lines.some((l) => l.startsWith('Finished')) ? card : undefined;
    });
    const text = finished.lines.join('\n');
    assert.match(text, new RegExp(`Finished: ${count} sent, 0 already registered\\.`));
    assert.doesNotMatch(text, /Failed|could not be reached/);

    // Each of them got the nudge in their own chat.
    const practice = loadPractice(DEMO_PRACTICE_PATH);
    const frontDesk = practice.groups.find((g) => g.displayName === 'Front Desk')!.id;
    const notOnAuthenticator = practice.users.filter(
      (u) =>
        u.memberOf.includes(frontDesk) &&
        u.accountEnabled !== false &&
        u.userType !== 'Guest' &&
        !u.methodsRegistered.includes('microsoftAuthenticatorPush'),
    );
    let nudged = 0;
    for (const u of notOnAuthenticator) {
      const got = await run.messages(u.userPrincipalName);
      if (got.some((m) => m.buttons.includes('Set up now'))) nudged += 1;
    }
    assert.equal(nudged, count);
  });

  it('plays people acting on it: some register within a demo day, and the report counts them', async () => {
    assert.equal((await run.demo('time', '+1d')).code, 0);
    const registered = await eventually('someone to register', async () => {
      const press = await run.post(ADMIN, 'press', { button: 'Refresh' });
      assert.equal(press.status, 200);
      const card = await campaignCard();
      const line = card?.lines.find((l) => l.startsWith('Registered since the nudge'));
      const n = Number(/: (\d+) of/.exec(line ?? '')?.[1] ?? 0);
      return n > 0 ? n : undefined;
    });
    const card = (await campaignCard())!;
    const count = Number(/(\d+) people/.exec(card.text)![1]);
    assert.ok(registered < count, 'some people never set it up');
    assert.match(card.lines.join('\n'), /"Set up now" [1-9]/);
  });

  it('gives the 7-day count a week later in demo time', async () => {
    assert.equal((await run.demo('time', '+7d')).code, 0);
    await eventually('the 7-day count', async () => {
      await run.post(ADMIN, 'press', { button: 'Refresh' });
      const card = await campaignCard();
      return card?.lines.find((l) =>
        /Registered since the nudge: \d+ of \d+ \(\d+%\) within 7 days/.test(l),
      );
    });
  });
});
