import assert from 'node:assert/strict';
import { HOUR, MINUTE } from '../../services/clock';
import { call } from '../graph-sim/helpers';
import { cardOf, cardText } from '../helpers/harness';
import { postsNaming, startSignInRig, threadOf, UPN, type SignInRig } from './signin-harness';

const REVOKE = '/v1.0/users/';
const NOT_IT = 'nora.nguyen@riverbendfm.example';

/** IT's side of a sign-in alert: the actions on its card, who may click them, and what follows. */
describe('sign-in alerts: what IT can do', () => {
  let rig: SignInRig;

  afterEach(async () => {
    await rig.close();
  });

  /** An open alert about Amara (a physician), in its own thread. */
  async function alertAboutAmara(env: Record<string, string> = {}): Promise<string> {
    rig = await startSignInRig(env);
    await rig.play({ scenario: 'fatigue', user: UPN.amara, prompts: 4 });
    await rig.poll();
    return threadOf(rig);
  }

  const revokes = () =>
    rig.sim.requests
      .matching(REVOKE)
      .filter((r) => r.method === 'POST' && r.path.endsWith('/revokeSignInSessions'));
  const auditOf = async (action: string) =>
    (await rig.h.app.parts.audit.all()).filter((r) => r.action === action);

  it('signs the person out everywhere once, however many clicks, and says so in the thread', async () => {
    const root = await alertAboutAmara();
    const priya = rig.user(UPN.priya);
    const { version } = await rig.incident();

    const first = await rig.clickInChannel(
      priya,
      'signins.revokeSessions',
      { incidentId: 'ALERT-0001', v: version },
      root,
    );
    assert.match(cardText(first.card), /Signed out everywhere/);
    const again = await rig.clickInChannel(
      rig.user(UPN.marcus),
      'signins.revokeSessions',
      { incidentId: 'ALERT-0001', v: version },
      root,
    );
    assert.match(cardText(again.card), /out of date, so nothing was changed/);
    await rig.h.settle();

    assert.equal(revokes().length, 1, 'one sign-out in Graph');
    const user = await call(rig.sim, 'GET', `/_sim/users/${rig.person(UPN.amara).id}`, {
      token: null,
    });
    assert.ok(user.json.revokedSessionsAt, 'Amara is signed out in Entra');
    assert.ok(
      rig.threadLines(root).some((l) => /Priya Raman signed Amara Osei out everywhere/.test(l)),
    );
    // The sign-out as it ended, with Graph's request id; the refused click under its verb.
    const done = await auditOf('signins.incident.revokeSessions');
    assert.deepEqual(
      done.map((r) => [r.actor, r.outcome]),
      [[rig.person(UPN.priya).id, 'success']],
    );
    assert.ok(done[0]!.graphRequestId);
    const refused = await auditOf('signins.revokeSessions');
    assert.deepEqual(
      refused.map((r) => [r.actor, r.outcome, r.reason]),
      [[rig.person(UPN.marcus).id, 'refused', 'stale-card']],
    );
  });

  it('refuses anyone outside IT, with the directory asked at the click, and audits it', async () => {
    const root = await alertAboutAmara();
    const { version } = await rig.incident();
    const staff = await rig.clickInChannel(
      rig.user(NOT_IT),
      'signins.revokeSessions',
      { incidentId: 'ALERT-0001', v: version },
      root,
    );
    assert.match(cardText(staff.card), /Only the IT team can act on sign-in alerts/);
    assert.doesNotMatch(JSON.stringify(staff.card), /203\.0\.113\.77/, 'no addresses for staff');

    // Marcus was IT a moment ago (the bot remembers), then left the IT group.
    const marcus = rig.user(UPN.marcus);
    await rig.clickInChannel(marcus, 'signins.view', { incidentId: 'ALERT-0001' }, root);
    const left = await call(rig.sim, 'PATCH', `/_sim/users/${rig.person(UPN.marcus).id}`, {
      token: null,
      body: { memberOf: [] },
    });
    assert.equal(left.status, 200, left.text);
    for (const verb of ['signins.markHandled', 'signins.revokeSessions']) {
      const res = await rig.clickInChannel(
        marcus,
        verb,
        { incidentId: 'ALERT-0001', v: version },
        root,
      );
      assert.match(cardText(res.card), /Only the IT team can act on sign-in alerts/, verb);
    }
    await rig.h.settle();

    assert.equal(revokes().length, 0);
    assert.equal((await rig.incident()).status, 'open');
    const denied = (await rig.h.app.parts.audit.all()).filter(
      (r) => r.action.startsWith('signins.') && r.outcome === 'denied',
    );
    assert.deepEqual(
      denied.map((r) => [r.action, r.actor]),
      [
        ['signins.revokeSessions', rig.person(NOT_IT).id],
        ['signins.markHandled', rig.person(UPN.marcus).id],
        ['signins.revokeSessions', rig.person(UPN.marcus).id],
      ],
    );
  });

  it('keeps an IT member off an alert about their own account', async () => {
    rig = await startSignInRig();
    await rig.play({ scenario: 'fatigue', user: UPN.theo, prompts: 3 });
    await rig.poll();
    const res = await rig.clickInChannel(
      rig.user(UPN.theo),
      'signins.markHandled',
      { incidentId: 'ALERT-0001', v: 1 },
      await threadOf(rig),
    );
    assert.match(cardText(res.card), /about your own account/);
    assert.equal((await rig.incident()).status, 'open');
  });

  it('shows the number on file only to the IT member who calls back', async () => {
    const root = await alertAboutAmara();
    const res = await rig.clickInChannel(
      rig.user(UPN.priya),
      'signins.callBack',
      { incidentId: 'ALERT-0001', v: 1 },
      root,
    );
    assert.match(cardText(res.card), /Call Amara Osei on \+1 541 555 0106/);
    await rig.h.settle();
    const lines = rig.threadLines(root);
    assert.ok(lines.some((l) => /Priya Raman is calling Amara Osei back/.test(l)));
    assert.ok(!lines.join('\n').includes('555 0106'), 'the number stays off the shared thread');
  });

  it('opens one urgent recovery ticket from the alert, and marks it handled', async () => {
    const root = await alertAboutAmara();
    const priya = rig.user(UPN.priya);
    const opened = await rig.clickInChannel(
      priya,
      'signins.openTicket',
      { incidentId: 'ALERT-0001', v: 1 },
      root,
    );
    assert.match(cardText(opened.card), /Opened urgent recovery ticket MFA-0001/);
    assert.doesNotMatch(cardText(opened.card), /Open a recovery ticket/, 'no second ticket');
    await rig.h.settle();
    const ticket = (await rig.h.app.parts.tickets.get('MFA-0001'))!.value;
    assert.equal(ticket.kind, 'suspicious-sign-in');
    assert.equal(ticket.requester.id, rig.person(UPN.amara).id);
    assert.equal(postsNaming(rig, 'MFA-0001').length, 1, 'the ticket is in the IT channel');

    const { version } = await rig.incident();
    const handled = await rig.clickInChannel(
      priya,
      'signins.markHandled',
      { incidentId: 'ALERT-0001', v: version },
      root,
    );
    assert.match(cardText(handled.card), /Marked handled/);
    assert.doesNotMatch(cardText(handled.card), /Sign out everywhere/, 'nothing left to click');
    await rig.h.settle();
    assert.equal((await rig.incident()).status, 'handled');
    assert.ok(rig.threadLines(root).some((l) => /Priya Raman marked ALERT-0001 handled/.test(l)));
  });

  it('posts no more alerts than the hourly cap, and sums up the rest when the hour is over', async () => {
    rig = await startSignInRig({ MONITOR_ALERTS_PER_HOUR: '1' });
    for (const user of [UPN.amara, UPN.luis, UPN.grace])
      await rig.play({ scenario: 'fatigue', user, prompts: 3 });
    await rig.poll();
    assert.equal(postsNaming(rig, 'ALERT-').length, 1, 'one alert posted, two held');

    rig.clock.advance(HOUR);
    await rig.poll();
    const summaries = rig
      .channelPosts()
      .filter((a) => /Sign-in alerts .*2 more/.test(cardText(cardOf(a))));
    assert.equal(summaries.length, 1);
    const held = cardText(cardOf(summaries[0]!));
    assert.match(held, /ALERT-0002[^]*ALERT-0003/);
    const posted = cardText(cardOf(postsNaming(rig, 'ALERT-0001')[0]!));
    for (const name of ['Amara Osei', 'Luis Ortega', 'Grace Lindqvist'])
      assert.ok(posted.includes(name) !== held.includes(name), `${name}: posted or summed up`);
    rig.clock.advance(5 * MINUTE);
    await rig.poll();
    assert.equal(
      rig.channelPosts().filter((a) => /2 more/.test(cardText(cardOf(a)))).length,
      1,
      'the summary is posted once',
    );
  });
});
