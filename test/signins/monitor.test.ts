import assert from 'node:assert/strict';
import sinon from 'sinon';
import { HOUR, MINUTE } from '../../services/clock';
import { findHoldouts } from '../../services/signins/holdouts';
import { describeStatus, readMonitorStatus } from '../../services/signins/status';
import { call, demoPractice, directoryFor, userByUpn } from '../graph-sim/helpers';
import { AMARA, GRACE, LUIS, startRig, THEO, type Rig } from './rig';

const theo = userByUpn(demoPractice(), THEO);
const SIGN_INS = '/beta/auditLogs/signIns';

describe('sign-in monitor', () => {
  let rig: Rig;

  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    sinon.restore();
    await rig.close();
  });

  it('turns a push-bombing burst into one incident, one IT alert and one message to the person', async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 5 });
    const result = await rig.monitor.poll();

    assert.equal(result.status.state, 'on');
    assert.equal(result.opened.length, 1);
    const incident = result.opened[0]!;
    assert.equal(incident.user.id, theo.id);
    assert.equal(incident.promptIds.length, 5);
    assert.deepEqual(incident.triggers, ['fatigue']);
    assert.deepEqual(incident.ips, ['203.0.113.77']);
    assert.deepEqual(incident.places, ['Rotterdam, South Holland, NL']);
    assert.equal(incident.firstEventAt, '2026-03-02T08:58:00.000Z');
    assert.equal(incident.urgent, false);

    const out = await rig.outbox.pending();
    assert.deepEqual(
      out.alerts.map((i) => i.id),
      [incident.id],
    );
    assert.deepEqual(
      out.messages.map((i) => i.user.upn),
      [THEO],
    );
    const audit = (await rig.audit.all()).filter((r) => r.action === 'signins.incident.opened');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.details?.prompts, 5);
    assert.ok(
      !JSON.stringify(audit).includes('203.0.113.77'),
      'the audit log holds no IP addresses',
    );
  });

  it('reads the same log again, and more prompts of the same burst, without a second incident', async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 3 });
    assert.equal((await rig.monitor.poll()).opened.length, 1);
    const [incident] = await rig.all();
    await rig.outbox.alertPosted(incident!.id, {
      channelConversationId: '19:it',
      activityId: 'a1',
      serviceUrl: 'https://smba.example',
    });
    await rig.outbox.messageSent(incident!.id, true);

    rig.clock.advance(2 * MINUTE);
    const same = await rig.monitor.poll();
    assert.deepEqual(
      [same.opened, same.grown],
      [[], []],
      'the same log read again changes nothing',
    );
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 2 });
    rig.clock.advance(2 * MINUTE);
    const more = await rig.monitor.poll();
    assert.equal(more.opened.length, 0);
    assert.deepEqual(
      more.grown.map((i) => i.promptIds.length),
      [5],
      'the card can show the new count',
    );

    const all = await rig.all();
    assert.equal(all.length, 1);
    assert.equal(all[0]!.promptIds.length, 5);
    assert.equal(
      all[0]!.version,
      incident!.version,
      'more prompts alone do not make the card stale',
    );
    const out = await rig.outbox.pending();
    assert.deepEqual([out.alerts.length, out.messages.length, out.dangers.length], [0, 0, 0]);
  });

  it('gives no duplicate alert after a restart in the middle of a burst, even one before the cursor was saved', async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 2 });
    assert.equal((await rig.monitor.poll()).opened.length, 0, 'two prompts are not a burst yet');

    await rig.restart();
    rig.clock.advance(MINUTE);
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 2 });
    // The process dies after acting on the log but before the cursor is saved.
    const put = rig.store.put.bind(rig.store);
    sinon.stub(rig.store, 'put').callsFake(async (collection, key, value, options) => {
      if (collection === 'signin-monitor' && key === 'cursor') throw new Error('power cut');
      return put(collection, key, value, options);
    });
    await assert.rejects(rig.monitor.poll(), /power cut/);
    sinon.restore();
    assert.equal((await rig.all()).length, 1);

    await rig.restart();
    rig.clock.advance(MINUTE);
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 1 });
    const result = await rig.monitor.poll();
    assert.equal(result.opened.length, 0);
    const all = await rig.all();
    assert.equal(all.length, 1);
    assert.equal(all[0]!.promptIds.length, 5, 'every prompt counted once, none missed');
    assert.equal(
      (await rig.outbox.pending()).alerts.length,
      1,
      'one alert, still waiting to be posted',
    );
    assert.equal(
      (await rig.audit.all()).filter((r) => r.action === 'signins.incident.opened').length,
      1,
    );
  });

  it('waits as long as Retry-After says on a 429, then reads on', async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 3 });
    await call(rig.sim, 'POST', '/_sim/faults', {
      token: null,
      body: { status: 429, retryAfterSeconds: 7, count: 1, paths: '/auditLogs/signIns' },
    });
    const result = await rig.monitor.poll();
    assert.ok(rig.waits.includes(7000), `waited ${JSON.stringify(rig.waits)}`);
    assert.equal(result.opened.length, 1);
    assert.equal(result.status.state, 'on');
    const statuses = rig.sim.requests.matching(SIGN_INS).map((r) => r.status);
    assert.deepEqual(statuses, [429, 200]);
  });

  it('stops for this poll when Graph asks for a longer pause, and misses nothing after it', async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 3 });
    await call(rig.sim, 'POST', '/_sim/faults', {
      token: null,
      body: { status: 429, retryAfterSeconds: 120, count: 1, paths: '/auditLogs/signIns' },
    });
    const throttled = await rig.monitor.poll();
    assert.equal(throttled.status.state, 'failing');
    assert.equal(throttled.status.issue, 'throttled');
    assert.equal(throttled.retryAfterMs, 120_000);
    assert.equal(
      rig.sim.requests.matching(SIGN_INS).length,
      1,
      'no request before the pause is over',
    );
    assert.deepEqual(await rig.all(), []);

    rig.clock.advance(2 * MINUTE);
    const after = await rig.monitor.poll();
    assert.equal(after.status.state, 'on');
    assert.equal(after.statusChanged, true);
    assert.equal(after.opened.length, 1);
  });

  it('keeps within the reports throttle on its own while paging a long log, even when the first request is slow', async () => {
    await rig.close();
    rig = await startRig({}, { firstReadLagMs: 500 });
    await rig.tenant({ reportsThrottle: true });
    for (const user of [THEO, LUIS, GRACE, AMARA]) {
      await rig.play({ scenario: 'success', user, count: 8, spacingSeconds: 60 });
    }
    const result = await rig.monitor.poll();
    assert.equal(result.signInsRead, 32);
    const statuses = rig.sim.requests.matching(SIGN_INS).map((r) => r.status);
    assert.ok(statuses.length > 5, `only ${statuses.length} pages`);
    assert.ok(
      statuses.every((s) => s === 200),
      `throttled: ${statuses.join(',')}`,
    );
    assert.ok(rig.waits.length > 0, 'the budget made it wait');
  });

  it('says nothing about a quiet log, and that it is watching', async () => {
    const first = await rig.monitor.poll();
    assert.equal(first.status.state, 'on');
    await rig.play({ scenario: 'success', user: THEO, count: 3 });
    await rig.play({ scenario: 'sms', user: LUIS });
    await rig.play({ scenario: 'fatigue', user: GRACE, prompts: 2 });
    rig.clock.advance(5 * MINUTE);
    const result = await rig.monitor.poll();
    assert.equal(result.opened.length, 0);
    assert.equal(result.statusChanged, false);
    assert.deepEqual(await rig.all(), []);
    const out = await rig.outbox.pending();
    assert.deepEqual([out.alerts, out.messages, out.dangers, out.summaries], [[], [], [], []]);
    assert.match(describeStatus(await readMonitorStatus(rig.store)), /is on/);
  });

  it('says it is off, and why, without Entra ID P1/P2 or without AuditLog.Read.All', async () => {
    await rig.tenant({ licence: 'free' });
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 5 });
    const free = await rig.monitor.poll();
    assert.equal(free.status.state, 'off');
    assert.equal(free.status.issue, 'no-licence');
    assert.match(free.status.reason!, /Entra ID P1 or P2/);
    assert.equal(free.statusChanged, true);
    assert.equal(free.opened.length, 0);
    assert.equal((await rig.monitor.poll()).statusChanged, false, 'told once, not every poll');
    assert.match(
      describeStatus(await readMonitorStatus(rig.store)),
      /off: reading the sign-in log needs/,
    );

    await rig.tenant({ licence: 'p1', deniedScopes: ['AuditLog.Read.All'] });
    const denied = await rig.monitor.poll();
    assert.deepEqual([denied.status.state, denied.status.issue], ['off', 'no-permission']);
    assert.match(denied.status.reason!, /AuditLog\.Read\.All/);

    await rig.tenant({ deniedScopes: [] });
    const back = await rig.monitor.poll();
    assert.equal(back.status.state, 'on');
    assert.equal(back.opened.length, 1, 'the burst during the blind spell is still found');
    const changes = (await rig.audit.all()).filter((r) => r.action === 'signins.monitor.status');
    assert.deepEqual(
      changes.map((r) => r.reason ?? r.details?.state),
      ['no-licence', 'no-permission', 'on'],
    );
  });

  it('answers the readiness check with what it can see right now, storing nothing', async () => {
    assert.deepEqual(await rig.monitor.probe(), { state: 'on', issue: null, reason: null });
    await rig.tenant({ deniedScopes: ['IdentityRiskEvent.Read.All'] });
    assert.equal((await rig.monitor.probe()).issue, 'fraud-reports-unreadable');
    await rig.tenant({ licence: 'free' });
    const free = await rig.monitor.probe();
    assert.deepEqual([free.state, free.issue], ['off', 'no-licence']);
    assert.match(free.reason!, /P1 or P2/);
    assert.equal(await rig.monitor.status(), undefined, 'a probe is not a poll');
  });

  it('watches bursts but says fraud reports are unreadable without IdentityRiskEvent.Read.All', async () => {
    await rig.tenant({ deniedScopes: ['IdentityRiskEvent.Read.All'] });
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 3 });
    const result = await rig.monitor.poll();
    assert.deepEqual(
      [result.status.state, result.status.issue],
      ['partial', 'fraud-reports-unreadable'],
    );
    assert.equal(result.opened.length, 1);
  });

  it('opens an urgent incident for a prompt reported as fraud, without asking the person again', async () => {
    await rig.play({ scenario: 'fraud', user: THEO });
    const result = await rig.monitor.poll();
    assert.equal(result.fraudReportsRead, 1);
    assert.equal(result.opened.length, 1);
    const incident = result.opened[0]!;
    assert.deepEqual(incident.triggers, ['fraud-report']);
    assert.equal(incident.urgent, true);
    assert.equal(incident.promptIds.length, 1);
    assert.equal(incident.message.state, 'not-needed');
    // The report is in the sign-in log and in the risk detections: one incident, not two.
    assert.equal((await rig.all()).length, 1);
  });

  it('flags a successful sign-in right after the burst, at once, even after the alert was posted', async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 4 });
    const [incident] = (await rig.monitor.poll()).opened;
    await rig.outbox.alertPosted(incident!.id, {
      channelConversationId: '19:it',
      activityId: 'a1',
      serviceUrl: 'https://smba.example',
    });

    rig.clock.advance(3 * MINUTE);
    await rig.play({
      scenario: 'fatigue',
      user: THEO,
      prompts: 1,
      outcome: 'denied',
      thenSuccess: true,
    });
    const result = await rig.monitor.poll();
    assert.deepEqual(
      result.escalated.map((i) => i.id),
      [incident!.id],
    );
    const [after] = await rig.all();
    assert.equal(after!.promptIds.length, 5);
    assert.equal(after!.danger?.ip, '203.0.113.77');
    assert.equal(after!.urgent, true);
    assert.ok(after!.version > incident!.version, 'cards shown before it are stale');
    assert.deepEqual(
      (await rig.outbox.pending()).dangers.map((i) => i.id),
      [incident!.id],
    );
  });

  it('does not call an ordinary sign-in an hour later dangerous', async () => {
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 3 });
    await rig.monitor.poll();
    rig.clock.advance(HOUR);
    await rig.play({ scenario: 'success', user: THEO });
    const result = await rig.monitor.poll();
    assert.deepEqual(result.escalated, []);
    assert.equal((await rig.all())[0]!.danger, undefined);
  });

  it('caps IT alerts per hour and sums up the rest once the hour is over', async () => {
    await rig.close();
    rig = await startRig({ alertsPerHour: 2 });
    for (const user of [THEO, GRACE, AMARA]) {
      await rig.play({ scenario: 'fatigue', user, prompts: 3 });
      rig.clock.advance(MINUTE);
    }
    const result = await rig.monitor.poll();
    assert.equal(result.opened.length, 3);
    let out = await rig.outbox.pending();
    assert.equal(out.alerts.length, 2);
    assert.equal(out.messages.length, 3, 'everyone attacked is asked, whatever the cap');
    assert.deepEqual(out.summaries, [], 'not before the hour is over');

    rig.clock.advance(HOUR);
    out = await rig.outbox.pending();
    assert.equal(out.summaries.length, 1);
    assert.equal(out.summaries[0]!.hour, '2026-03-02T09');
    assert.deepEqual(
      out.summaries[0]!.incidents.map((l) => l.upn),
      [AMARA],
    );
    await rig.outbox.summaryPosted(out.summaries[0]!);
    assert.deepEqual((await rig.outbox.pending()).summaries, []);
  });

  it('lists people with Authenticator who still sign in with text codes, each sign-in counted once', async () => {
    await rig.play({ scenario: 'sms', user: THEO, count: 2 });
    await rig.play({ scenario: 'sms', user: LUIS, count: 1 });
    await rig.play({ scenario: 'success', user: GRACE });
    assert.equal((await rig.monitor.poll()).textCodeSignIns, 3);
    rig.clock.advance(MINUTE);
    assert.equal((await rig.monitor.poll()).textCodeSignIns, 0, 'the overlap is not counted again');

    const directory = directoryFor(rig.sim);
    try {
      const holdouts = await findHoldouts(rig.holdouts, directory);
      assert.deepEqual(
        holdouts.map((h) => [h.upn, h.sms, h.voice]),
        [[THEO, 2, 0]],
        'Luis has no Authenticator to switch to',
      );
    } finally {
      await directory.close();
    }
  });
});
