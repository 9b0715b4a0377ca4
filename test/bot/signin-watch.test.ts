import assert from 'node:assert/strict';
import { MINUTE } from '../../services/clock';
import { call } from '../graph-sim/helpers';
import { cardText } from '../helpers/harness';
import { postsNaming, startSignInRig, UPN, type SignInRig } from './signin-harness';

const SIGN_INS = '/beta/auditLogs/signIns';
const DIANE = 'diane.whitaker@riverbendfm.example';
const NORA = 'nora.nguyen@riverbendfm.example';

/** The monitor's round as the bot runs it: a stored job, Graph's pauses, and saying when it is off. */
describe('sign-in monitor: the polling round', () => {
  let rig: SignInRig;

  afterEach(async () => {
    await rig.close();
  });

  const polls = () => rig.h.app.parts.scheduler.pending('signins.poll');
  /** Runs what is due on the bot's clock, as the scheduler's timer would. */
  const runDue = async () => {
    await rig.h.app.parts.scheduler.runDue();
    await rig.h.settle();
  };

  it('polls from one stored job that a restart neither doubles nor loses', async () => {
    rig = await startSignInRig();
    await rig.h.app.parts.signins.watch.start();
    await rig.restart();
    await rig.h.app.parts.signins.watch.start();
    assert.equal((await polls()).length, 1);

    await rig.play({ scenario: 'fatigue', user: UPN.amara, prompts: 3 });
    rig.clock.advance(MINUTE);
    await runDue();
    assert.equal(postsNaming(rig, 'ALERT-0001').length, 1, 'the job read the log and alerted');
    const next = await polls();
    assert.equal(next.length, 1);
    assert.equal(
      Date.parse(next[0]!.dueAt),
      rig.clock.now().getTime() + rig.h.config.monitor.pollMinutes * MINUTE,
    );
  });

  it('honours a 429: the next poll waits for Retry-After, and the burst is still alerted after it', async () => {
    rig = await startSignInRig();
    await rig.h.app.parts.signins.watch.start();
    await rig.play({ scenario: 'fatigue', user: UPN.amara, prompts: 3 });
    const fault = await call(rig.sim, 'POST', '/_sim/faults', {
      token: null,
      body: { status: 429, retryAfterSeconds: 900, count: 1, paths: '/auditLogs/signIns' },
    });
    assert.equal(fault.status, 200, fault.text);
    rig.clock.advance(MINUTE);
    await runDue();
    assert.equal(postsNaming(rig, 'ALERT-').length, 0);
    const [next] = await polls();
    assert.equal(Date.parse(next!.dueAt), rig.clock.now().getTime() + 15 * MINUTE);
    assert.equal(rig.sim.requests.matching(SIGN_INS).length, 1, 'nothing asked during the pause');
    const status = await rig.h.app.parts.signins.monitor.status();
    assert.equal(status?.issue, 'throttled');

    rig.clock.advance(10 * MINUTE);
    await runDue();
    assert.equal(rig.sim.requests.matching(SIGN_INS).length, 1, 'still waiting');
    rig.clock.advance(5 * MINUTE);
    await runDue();
    assert.equal(postsNaming(rig, 'ALERT-0001').length, 1);
    assert.equal((await rig.h.app.parts.signins.monitor.status())?.state, 'on');
  });

  it('says it is off, and why, when turned off: in the IT channel once and on the admin status', async () => {
    rig = await startSignInRig({ MONITOR_ENABLED: 'false' });
    await rig.h.app.parts.signins.watch.start();
    await rig.restart();
    await rig.h.app.parts.signins.watch.start();
    assert.equal((await polls()).length, 0, 'nothing polls');
    const notices = rig.channelPosts().filter((a) => /Sign-in monitoring/.test(a.text ?? ''));
    assert.equal(notices.length, 1);
    assert.match(notices[0]!.text!, /turned off in the bot's settings/);

    const status = await rig.h.click(rig.user(DIANE), 'admin.status', {});
    assert.match(
      cardText(status.body.value),
      /Sign-in monitoring is turned off in the bot's settings/,
    );
    assert.doesNotMatch(cardText(status.body.value), /Sign-in monitoring is on/);
  });

  it('tells admins on the status card that it is watching once it has read the log', async () => {
    rig = await startSignInRig();
    const before = await rig.h.click(rig.user(DIANE), 'admin.status', {});
    assert.match(cardText(before.body.value), /has not run yet, so nothing is being watched/);
    await rig.poll();
    const after = await rig.h.click(rig.user(DIANE), 'admin.status', {});
    assert.match(cardText(after.body.value), /Sign-in monitoring is on/);
  });

  it('lists for admins the people with Authenticator who still sign in with text codes', async () => {
    rig = await startSignInRig();
    await rig.play({ scenario: 'sms', user: UPN.theo });
    await rig.poll();
    rig.clock.advance(5 * MINUTE);
    await rig.play({ scenario: 'sms', user: UPN.theo });
    await rig.poll();
    const list = await rig.h.click(rig.user(DIANE), 'signins.holdouts', {});
    const text = cardText(list.body.value);
    assert.match(text, /Still signing in with text codes: 1 person/);
    assert.match(text, /Theo Okafor \(theo\.okafor@riverbendfm\.example\)/);
    assert.match(text, /2 text code sign-ins/);

    const staff = await rig.h.click(rig.user(NORA), 'signins.holdouts', {});
    assert.doesNotMatch(cardText(staff.body.value), /Theo Okafor/);
  });
});
