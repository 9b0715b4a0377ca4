import assert from 'node:assert/strict';
import { HOUR, MINUTE } from '../../services/clock';
import {
  signInAlertCard,
  signInAlertSummaryCard,
  signInCheckCard,
  signInSummaryCard,
} from '../../cards/signins';
import { VERBS } from '../../cards/verbs';
import { cardProblems } from '../../cards/validate';
import { AMARA, GRACE, startRig, THEO, type Rig } from './rig';

/** Every Action.Execute verb in a card, wherever it sits. */
function verbsIn(card: object): string[] {
  return [...JSON.stringify(card).matchAll(/"verb":"([^"]+)"/g)].map((m) => m[1]!);
}

describe('sign-in monitor cards', () => {
  let rig: Rig;

  beforeEach(async () => {
    rig = await startRig({ alertsPerHour: 1 });
  });
  afterEach(async () => {
    await rig.close();
  });

  it("shows IT where the prompts came from, and keeps it off the shared card and the person's", async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 5, thenSuccess: true });
    const [incident] = (await rig.monitor.poll()).opened;

    const alert = signInAlertCard(incident!);
    assert.deepEqual(cardProblems(alert), []);
    const text = JSON.stringify(alert);
    assert.match(text, /203\.0\.113\.77 · Rotterdam, South Holland, NL/);
    assert.match(text, /A sign-in succeeded at 9:00 AM UTC/);
    const inPractice = JSON.stringify(signInAlertCard(incident!, { zone: 'America/Chicago' }));
    assert.match(inPractice, /A sign-in succeeded at 3:00 AM CST/, "in the practice's time zone");
    assert.doesNotMatch(inPractice, /UTC/);
    assert.match(text, /5 denied or not answered/);
    assert.deepEqual(verbsIn(alert), [
      VERBS.signinRevoke,
      VERBS.signinCallBack,
      VERBS.signinOpenTicket,
      VERBS.signinHandled,
    ]);

    for (const card of [
      signInAlertSummaryCard(incident!),
      signInCheckCard(incident!, { firstName: 'Theo', itPhone: '555-0100' }),
    ]) {
      assert.deepEqual(cardProblems(card), []);
      assert.ok(
        !/203\.0\.113\.77|Rotterdam/.test(JSON.stringify(card)),
        'where the sign-ins came from is for IT only',
      );
    }
    const check = signInCheckCard(incident!, { firstName: 'Theo', itPhone: '555-0100' });
    assert.match(JSON.stringify(check), /Did you just get sign-in requests you didn't start\?/);
    assert.deepEqual(verbsIn(check), [VERBS.signinItWasMe, VERBS.signinNotMe]);
  });

  it('leaves only what still makes sense once answered or handled', async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 3 });
    const [incident] = (await rig.monitor.poll()).opened;
    const answered = await rig.actions.answer(incident!.id, incident!.user.id, 'not-me');
    assert.equal(answered.kind, 'recorded');
    const after = answered.kind === 'recorded' ? answered.incident : incident!;
    assert.deepEqual(
      verbsIn(signInCheckCard(after, { firstName: 'Theo', itPhone: '555-0100' })),
      [],
    );
    assert.match(JSON.stringify(signInAlertCard(after)), /says: it wasn't me/);

    const handled = await rig.actions.markHandled(
      after.id,
      { id: 'it-1', name: 'Ivan Ortiz' },
      after.version,
    );
    assert.equal(handled.kind, 'ok');
    const closed = handled.kind === 'ok' ? handled.incident : after;
    assert.deepEqual(verbsIn(signInAlertCard(closed)), []);
    assert.match(JSON.stringify(signInAlertCard(closed)), /Handled by Ivan Ortiz/);
    const timeline = JSON.stringify(signInAlertCard(closed));
    assert.match(timeline, /Ivan Ortiz marked it handled/);
    assert.doesNotMatch(timeline, /Ivan Ortiz: Ivan Ortiz/, 'no name said twice in the timeline');
    assert.doesNotMatch(timeline, /(Theo [A-Z]\w+): \1/, 'no name said twice in the timeline');
  });

  it('sums up the held alerts of an hour, each one openable', async () => {
    for (const user of [THEO, GRACE, AMARA]) {
      await rig.play({ scenario: 'fatigue', user, prompts: 3 });
      rig.clock.advance(MINUTE);
    }
    await rig.monitor.poll();
    rig.clock.advance(HOUR);
    const [summary] = (await rig.outbox.pending()).summaries;
    const card = signInSummaryCard(summary!);
    assert.deepEqual(cardProblems(card), []);
    assert.match(JSON.stringify(card), /2 more/);
    assert.deepEqual(verbsIn(card), [VERBS.signinView, VERBS.signinView]);
  });
});
