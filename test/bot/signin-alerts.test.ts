import assert from 'node:assert/strict';
import { MINUTE } from '../../services/clock';
import { cardOf, cardText } from '../helpers/harness';
import { postsNaming, startSignInRig, threadOf, UPN, type SignInRig } from './signin-harness';

const ATTACKER_IP = '203.0.113.77';
const QUESTION = /Did you just get sign-in requests you didn't start\?/;

/** The sign-in monitor as IT and the person meet it: through the IT channel and their chat. */
describe('sign-in alerts', () => {
  let rig: SignInRig;

  beforeEach(async () => {
    rig = await startSignInRig();
    // Theo has talked to the bot, so it can ask him.
    await rig.h.say(rig.user(UPN.theo), 'hi');
  });
  afterEach(async () => {
    await rig.close();
  });

  const questions = (upn: string) =>
    rig.toPerson(upn).filter((a) => QUESTION.test(cardText(cardOf(a))));

  it('turns a push-bombing burst into one alert thread for IT and one question to the person', async () => {
    await rig.play({ scenario: 'fatigue', user: UPN.theo, prompts: 5 });
    await rig.poll();

    const posts = postsNaming(rig, 'ALERT-0001');
    assert.equal(posts.length, 1);
    const shared = cardText(cardOf(posts[0]!));
    assert.match(shared, /Push-bombing \(MFA fatigue\)/);
    assert.match(shared, /Theo Okafor/);
    assert.match(shared, /5 denied or not answered/);
    assert.doesNotMatch(
      JSON.stringify(posts[0]),
      /203\.0\.113\.77|Rotterdam/,
      'where it came from is for IT only',
    );

    const asked = questions(UPN.theo);
    assert.equal(asked.length, 1);
    assert.doesNotMatch(JSON.stringify(asked[0]), /203\.0\.113\.77|Rotterdam/);

    // IT's own view has where the prompts came from, and the actions.
    const view = await rig.h.click(rig.user(UPN.priya), 'signins.view', {
      incidentId: 'ALERT-0001',
    });
    const it = cardText(view.body.value);
    assert.match(it, new RegExp(`${ATTACKER_IP.replace(/\./g, '\\.')} · Rotterdam`));
    for (const action of [
      'Sign out everywhere',
      'Call back the number on file',
      'Open a recovery ticket',
      'Mark handled',
    ])
      assert.ok(it.includes(action), action);

    // The same log read again, and the next poll: nothing new for anyone.
    rig.clock.advance(5 * MINUTE);
    await rig.poll();
    assert.equal(postsNaming(rig, 'ALERT-').length, 1);
    assert.equal(questions(UPN.theo).length, 1);
  });

  it('"It wasn\'t me" opens an urgent ticket, posted at once, and tells the alert\'s thread', async () => {
    await rig.play({ scenario: 'fatigue', user: UPN.theo, prompts: 3 });
    await rig.poll();
    const { version } = await rig.incident();

    const answer = await rig.h.click(rig.user(UPN.theo), 'signins.notMe', {
      incidentId: 'ALERT-0001',
      v: version,
    });
    assert.match(cardText(answer.body.value), /IT has been told and will call you/);
    await rig.h.settle();

    const incident = await rig.incident();
    assert.equal(incident.ticketId, 'MFA-0001');
    assert.equal(incident.urgent, true);
    const ticket = (await rig.h.app.parts.tickets.get('MFA-0001'))!.value;
    assert.equal(ticket.kind, 'suspicious-sign-in');
    assert.equal(ticket.requester.id, incident.user.id);
    assert.equal(ticket.privileged, true, 'urgent, and two people must confirm identity');
    const ticketPost = postsNaming(rig, 'MFA-0001');
    assert.equal(ticketPost.length, 1, 'the ticket is in the IT channel');
    assert.match(cardText(cardOf(ticketPost[0]!)), /URGENT/);
    const lines = rig.threadLines(await threadOf(rig));
    assert.ok(
      lines.some(
        (l) => /says the sign-in requests were not them/.test(l) && l.includes('MFA-0001'),
      ),
      lines.join('\n'),
    );

    // Clicked again (or on another device): still one ticket.
    await rig.h.click(rig.user(UPN.theo), 'signins.notMe', { incidentId: 'ALERT-0001', v: 1 });
    await rig.h.settle();
    assert.equal((await rig.h.app.parts.tickets.listOpen()).length, 1);
  });

  it('lets only the person answer for themselves', async () => {
    await rig.play({ scenario: 'fatigue', user: UPN.theo, prompts: 3 });
    await rig.poll();
    const res = await rig.h.click(rig.user(UPN.priya), 'signins.notMe', {
      incidentId: 'ALERT-0001',
      v: 1,
    });
    assert.match(cardText(res.body.value), /for someone else, so nothing was recorded/);
    assert.equal((await rig.incident()).message.answer, undefined);
    assert.equal((await rig.h.app.parts.tickets.listOpen()).length, 0);
    const audit = await rig.h.app.parts.audit.all();
    assert.ok(
      audit.some(
        (r) =>
          r.action === 'signins.notMe' &&
          r.outcome === 'denied' &&
          r.actor === rig.person(UPN.priya).id,
      ),
    );
  });

  it('gives no duplicate alert or question after a restart in the middle of a burst', async () => {
    await rig.play({ scenario: 'fatigue', user: UPN.theo, prompts: 3 });
    await rig.poll();
    assert.equal(postsNaming(rig, 'ALERT-0001').length, 1);

    await rig.restart();
    rig.clock.advance(MINUTE);
    await rig.play({ scenario: 'fatigue', user: UPN.theo, prompts: 2 });
    rig.clock.advance(MINUTE);
    await rig.poll();

    assert.equal(postsNaming(rig, 'ALERT-').length, 1, 'one alert for the one attack');
    assert.equal(questions(UPN.theo).length, 1, 'the person is asked once');
    const incident = await rig.incident();
    assert.equal(incident.promptIds.length, 5, 'the prompts after the restart joined it');
    const shared = rig.connector
      .activities()
      .filter(
        (a) => a._call.method === 'PUT' && /5 denied or not answered/.test(cardText(cardOf(a))),
      );
    assert.ok(shared.length >= 1, 'the shared card shows the new count');
  });

  it('says nothing about a quiet log', async () => {
    const before = rig.connector.calls.length;
    await rig.play({ scenario: 'success', user: UPN.theo, count: 3 });
    await rig.play({ scenario: 'sms', user: UPN.luis });
    await rig.play({ scenario: 'fatigue', user: UPN.amara, prompts: 2 });
    await rig.poll();
    rig.clock.advance(5 * MINUTE);
    await rig.poll();
    assert.deepEqual(rig.connector.calls.slice(before), [], 'nothing posted, nobody messaged');
    assert.equal(await rig.h.app.parts.signins.incidents.get('ALERT-0001'), undefined);
  });

  it('names in the thread someone it cannot ask in Teams, for IT to call', async () => {
    await rig.play({ scenario: 'fatigue', user: UPN.amara, prompts: 4 });
    await rig.poll();
    const incident = await rig.incident();
    assert.equal(incident.message.state, 'failed');
    const lines = rig.threadLines(await threadOf(rig));
    assert.ok(
      lines.some((l) =>
        /could not ask Amara Osei in Teams \(they have no chat with me yet\)/.test(l),
      ),
      lines.join('\n'),
    );
  });

  it('tells the thread at once when a sign-in succeeds right after the prompts', async () => {
    await rig.play({ scenario: 'fatigue', user: UPN.theo, prompts: 3 });
    await rig.poll();
    rig.clock.advance(MINUTE);
    await rig.play({ scenario: 'success', user: UPN.theo, ipAddress: ATTACKER_IP });
    await rig.poll();
    const lines = rig.threadLines(await threadOf(rig));
    const told = lines.filter((l) => /succeeded right after the prompts/.test(l));
    assert.equal(told.length, 1, lines.join('\n'));
    assert.ok(!told[0]!.includes(ATTACKER_IP), 'the thread is shared: no addresses in it');
    assert.ok((await rig.incident()).urgent);
  });

  it('tells the IT channel once that it cannot see without Entra ID P1/P2, and again when it can', async () => {
    const notices = () =>
      rig
        .channelPosts()
        .map((a) => a.text ?? '')
        .filter((t) => /Sign-in monitoring/.test(t));
    await rig.poll();
    assert.deepEqual(notices(), [], 'on from the start: nothing to say');

    await rig.tenant({ licence: 'free' });
    rig.clock.advance(5 * MINUTE);
    await rig.poll();
    rig.clock.advance(5 * MINUTE);
    await rig.poll();
    assert.equal(notices().length, 1, notices().join('\n'));
    assert.match(notices()[0]!, /off: reading the sign-in log needs Microsoft Entra ID P1 or P2/);

    await rig.tenant({ licence: 'p1' });
    rig.clock.advance(5 * MINUTE);
    await rig.poll();
    assert.equal(notices().length, 2);
    assert.match(notices()[1]!, /✅ Sign-in monitoring is on/);
  });
});
