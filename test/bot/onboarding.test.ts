import assert from 'node:assert/strict';
import { ManualClock, DAY } from '../../services/clock';
import type { PracticeUser } from '../../services/directory/practice';
import {
  startHarness,
  userOf,
  cardOf,
  cardText,
  patchSimUser,
  simFaults,
  type Harness,
  type InvokeBody,
} from '../helpers/harness';

const NORA = 'nora.nguyen@riverbendfm.example';

function byUpn(h: Harness, upn: string): PracticeUser {
  const u = h.practice.users.find((x) => x.userPrincipalName === upn);
  if (!u) throw new Error(`no ${upn} in the demo practice`);
  return u;
}

function find(h: Harness, predicate: (u: PracticeUser) => boolean): PracticeUser {
  const u = h.practice.users.find((x) => x.accountEnabled !== false && predicate(x));
  if (!u) throw new Error('no such user in the demo practice');
  return u;
}

/** The step the card's primary button acts on. */
function stepOf(card: InvokeBody['value'] | Record<string, unknown> | undefined): string {
  const actions = (card?.actions ?? []) as Array<{ data?: { step?: string } }>;
  return actions[0]?.data?.step ?? '';
}

describe('staff onboarding walkthrough', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock('2026-03-02T08:00:00Z');
    h = await startHarness({ clock });
  });
  afterEach(async () => {
    await h.close();
  });

  it('walks an unregistered nurse from "set up" to a verified registration', async () => {
    const nora = byUpn(h, NORA);
    const user = userOf(nora);
    const first = await h.say(user, 'set up');
    const why = cardOf(first[0]);
    assert.match(cardText(why), /protect your account/);
    assert.equal(stepOf(why), 'why');

    let res = await h.click(user, 'onboarding.next', { step: 'why' });
    assert.match(cardText(res.body.value), /Step 1 of 4: Install the app/);
    assert.match(JSON.stringify(res.body.value), /apps\.apple\.com/);
    res = await h.click(user, 'onboarding.next', { step: 'install' });
    assert.match(cardText(res.body.value), /aka\.ms\/mysecurityinfo/);
    res = await h.click(user, 'onboarding.next', { step: 'register' });
    assert.match(cardText(res.body.value), /type that number in the app/);
    res = await h.click(user, 'onboarding.next', { step: 'approve' });
    assert.match(cardText(res.body.value), /no Authenticator on your account yet/);
    assert.match(cardText(res.body.value), /Work or school account/, 'shows the likely fixes');

    await patchSimUser(h, NORA, { methodsRegistered: ['microsoftAuthenticatorPush'] });
    res = await h.click(user, 'onboarding.check', { step: 'verify' });
    assert.equal(res.status, 200);
    const done = cardText(res.body.value);
    assert.match(done, /You're all set, Nora!/);
    assert.match(done, /backup method/);

    const events = await h.app.parts.onboarding.progress.events(nora.id);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['started', 'step', 'step', 'step', 'step', 'check-failed', 'completed'],
    );
  });

  it('resumes where the person left off after the bot restarts', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    await h.click(nora, 'onboarding.next', { step: 'why' });
    await h.click(nora, 'onboarding.next', { step: 'install' });
    const { dataDir, sim } = h;
    await h.app.close();
    await h.server.close();
    await h.connector.stop();
    const again = await startHarness({ dataDir, sim, clock });
    try {
      const replies = await again.say(nora, 'set up');
      const text = cardText(cardOf(replies[0]));
      assert.match(text, /Welcome back/);
      assert.match(text, /Step 2 of 4: Connect the app/);
    } finally {
      await again.close();
      await sim.close();
    }
    h = { ...h, close: async () => {} };
  });

  it('delivers a "remind me tomorrow" reminder proactively a day later', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    await h.click(nora, 'onboarding.next', { step: 'why' });
    const res = await h.click(nora, 'onboarding.snooze', { step: 'install', days: 1 });
    assert.match(cardText(res.body.value), /remind you tomorrow/);
    h.connector.clear();

    clock.advance(DAY - 60_000);
    assert.equal(await h.app.parts.scheduler.runDue(), 0, 'not before it is due');
    clock.advance(60_000);
    assert.equal(await h.app.parts.scheduler.runDue(), 1);
    const sent = h.connector.activities();
    assert.equal(sent.length, 1);
    const text = cardText(cardOf(sent[0]));
    assert.match(text, /reminder you asked for/);
    assert.match(text, /Step 1 of 4: Install the app/);
  });

  it('stops offering "remind me later" once the snooze limit is reached', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    for (let i = 0; i < 3; i += 1)
      await h.click(nora, 'onboarding.snooze', { step: 'why', days: 1 });
    const res = await h.click(nora, 'onboarding.snooze', { step: 'why', days: 3 });
    assert.match(cardText(res.body.value), /put this off a few times/);
    assert.doesNotMatch(cardText(res.body.value), /Remind me later/);
  });

  it('tells someone already registered so, and suggests a backup method', async () => {
    const registered = find(h, (u) => u.methodsRegistered.join() === 'microsoftAuthenticatorPush');
    const replies = await h.say(userOf(registered), 'set up authenticator');
    const text = cardText(cardOf(replies[0]));
    assert.match(text, /already set up/);
    assert.match(text, /backup method/);
    assert.match(text, new RegExp(registered.authenticatorDevices[0].displayName));
  });

  it('answers a click on a stale step with the current step', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    await h.click(nora, 'onboarding.next', { step: 'why' });
    await h.click(nora, 'onboarding.next', { step: 'install' });
    const res = await h.click(nora, 'onboarding.next', { step: 'why' });
    const text = cardText(res.body.value);
    assert.match(text, /out of date/);
    assert.match(text, /Step 2 of 4/);
  });

  it('answers a forged step with the menu and changes nothing', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    const res = await h.click(nora, 'onboarding.next', { step: 'verify"; DROP TABLE docs' });
    assert.equal(res.status, 200);
    assert.match(cardText(res.body.value), /out of date/);
    const progress = await h.app.parts.onboarding.progress.get(byUpn(h, NORA).id);
    assert.equal(progress?.value.step, 'why');
  });

  it('says "you\'re all set" when an old card is clicked after completion', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    for (const step of ['why', 'install', 'register'])
      await h.click(nora, 'onboarding.next', { step });
    await patchSimUser(h, NORA, { methodsRegistered: ['microsoftAuthenticatorPush'] });
    await h.click(nora, 'onboarding.next', { step: 'approve' });
    const res = await h.click(nora, 'onboarding.next', { step: 'install' });
    assert.match(cardText(res.body.value), /You're all set/);
  });

  it('keeps the step and says so plainly when the directory is down at the verify step', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    for (const step of ['why', 'install', 'register', 'approve'])
      await h.click(nora, 'onboarding.next', { step });
    await simFaults(h, { rate: 1, status: 503 });
    try {
      const res = await h.click(nora, 'onboarding.check', { step: 'verify' });
      assert.equal(res.status, 200);
      assert.match(cardText(res.body.value), /can't (check|reach)/);
    } finally {
      await simFaults(h, null);
    }
    const progress = await h.app.parts.onboarding.progress.get(byUpn(h, NORA).id);
    assert.equal(progress?.value.step, 'verify');
  });

  it('offers IT after three failed checks and opens a numbered request', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    for (const step of ['why', 'install', 'register', 'approve'])
      await h.click(nora, 'onboarding.next', { step });
    let res = await h.click(nora, 'onboarding.check', { step: 'verify' });
    assert.doesNotMatch(cardText(res.body.value), /Ask IT for help/);
    await h.click(nora, 'onboarding.check', { step: 'verify' });
    res = await h.click(nora, 'onboarding.check', { step: 'verify' });
    assert.match(cardText(res.body.value), /Ask IT for help/);
    res = await h.click(nora, 'onboarding.askIt', { step: 'verify' });
    assert.match(cardText(res.body.value), /Request MFA-0001 sent to IT/);
    const again = await h.click(nora, 'onboarding.askIt', { step: 'verify' });
    assert.match(cardText(again.body.value), /MFA-0001/, 'a second request joins the open one');
  });

  it('shows the shared-workstation note to clinical staff but not to billing', async () => {
    const nurse = userOf(byUpn(h, NORA));
    const billing = userOf(
      find(
        h,
        (u) =>
          u.memberOf.includes(h.config.groups.roles.Billing) &&
          !u.methodsRegistered.includes('microsoftAuthenticatorPush'),
      ),
    );
    assert.match(cardText(cardOf((await h.say(nurse, 'set up'))[0])), /shared exam-room/);
    assert.doesNotMatch(cardText(cardOf((await h.say(billing, 'set up'))[0])), /shared exam-room/);
  });

  it('answers "I\'m stuck" with the troubleshooting steps for that step', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    for (const step of ['why', 'install', 'register'])
      await h.click(nora, 'onboarding.next', { step });
    const res = await h.click(nora, 'onboarding.stuck', { step: 'approve' });
    const text = cardText(res.body.value);
    assert.match(text, /Let's sort it out/);
    assert.match(text, new RegExp(h.app.parts.kb.get('no-push-notification')!.title));
  });

  it('gets a new hire who cannot sign in a first-time pass request, handled like a lost phone', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    for (const step of ['why', 'install']) await h.click(nora, 'onboarding.next', { step });
    let res = await h.click(nora, 'onboarding.stuck', { step: 'register' });
    assert.match(cardText(res.body.value), /Sign-in asks for a code I don't have/);
    res = await h.click(nora, 'onboarding.requestPass', { step: 'register' });
    const id = /Request (MFA-\d{4})/.exec(cardText(res.body.value))![1];
    const ticket = (await h.app.parts.tickets.get(id))!.value;
    assert.equal(ticket.kind, 'first-time-pass');
    // IT cannot issue the pass before recording how they confirmed who she is.
    const priya = userOf(byUpn(h, 'priya.raman@riverbendfm.example'));
    res = await h.click(priya, 'tickets.issuePass', { ticketId: id, v: ticket.version });
    assert.match(cardText(res.body.value), /Record how you confirmed their identity first/);
    assert.doesNotMatch(
      cardText(res.body.value),
      /Sign out everywhere|Remove lost Authenticator/,
      'no lost-phone actions on this kind',
    );
  });

  it('offers alternatives to someone without a smartphone and files a token request', async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    let res = await h.click(nora, 'onboarding.alternatives', { step: 'why' });
    assert.match(cardText(res.body.value), /hardware token/);
    res = await h.click(nora, 'onboarding.requestToken', { step: 'why' });
    assert.match(cardText(res.body.value), /Request MFA-\d{4} sent to IT/);
    const open = await h.app.parts.tickets.listOpen();
    assert.equal(open[0].kind, 'hardware-token');
  });
});
