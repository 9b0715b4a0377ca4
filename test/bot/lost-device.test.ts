import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ManualClock, MINUTE } from '../../services/clock';
import { createLogger } from '../../services/logger';
import type { PracticeUser } from '../../services/directory/practice';
import {
  startHarness,
  userOf,
  cardOf,
  cardText,
  simFaults,
  type Harness,
} from '../helpers/harness';
import { botAddedToTeam, IT_CHANNEL, type TestUser } from '../helpers/activities';
import { call } from '../graph-sim/helpers';

const INTAKE = { happened: 'stolen', when: 'today', hadWorkApps: 'yes', verifyBy: 'callback' };

function byUpn(h: Harness, upn: string): PracticeUser {
  const u = h.practice.users.find((x) => x.userPrincipalName === upn);
  if (!u) throw new Error(`no ${upn}`);
  return u;
}

describe('lost or stolen phone', () => {
  let h: Harness;
  let clock: ManualClock;
  const logLines: string[] = [];
  let requester: PracticeUser;
  let priya: TestUser;
  let theo: TestUser;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    logLines.length = 0;
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    h = await startHarness({ clock, logger: createLogger('debug', sink) });
    // An ordinary nurse with Authenticator on her phone.
    requester = h.practice.users.find(
      (u) =>
        u.memberOf.includes(h.config.groups.roles.Nursing) &&
        u.authenticatorDevices.length > 0 &&
        u.accountEnabled !== false &&
        !u.isAdmin,
    )!;
    priya = userOf(byUpn(h, 'priya.raman@riverbendfm.example'));
    theo = userOf(byUpn(h, 'theo.okafor@riverbendfm.example'));
    const res = await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
    assert.equal(res.status, 200);
  });
  afterEach(async () => {
    await h.close();
  });

  async function report(user: TestUser, intake: Record<string, string> = INTAKE): Promise<string> {
    const res = await h.click(user, 'lostDevice.submit', intake);
    const match = /request (MFA-\d{4})/.exec(cardText(res.body.value));
    assert.ok(match, `no ticket number in: ${cardText(res.body.value)}`);
    return match[1];
  }

  async function v(id: string): Promise<number> {
    return (await h.app.parts.tickets.get(id))!.value.version;
  }

  async function act(
    user: TestUser,
    verb: string,
    id: string,
    extra: Record<string, unknown> = {},
  ) {
    return h.click(user, verb, { ticketId: id, v: await v(id), ...extra });
  }

  it('takes a report from staff, posts it to the IT channel, and IT recovers the account from the card', async () => {
    const staff = userOf(requester);
    const intake = await h.click(staff, 'lostDevice.start', {});
    assert.match(cardText(intake.body.value), /What happened\?/);

    const id = await report(staff);
    // The card reached the IT channel as a new post.
    const post = await h.connector.waitFor(() =>
      h.connector.activities(IT_CHANNEL).find((a) => cardText(cardOf(a)).includes(id)),
    );
    assert.match(cardText(cardOf(post)), new RegExp(requester.displayName));
    // What the requester said is for IT's own view, not the card everyone in the channel sees.
    assert.doesNotMatch(cardText(cardOf(post)), /Stolen/);
    let res = await h.click(priya, 'tickets.view', { ticketId: id });
    assert.match(cardText(res.body.value), /Stolen/);

    res = await act(priya, 'tickets.assign', id);
    assert.match(cardText(res.body.value), /Assigned to[\s\S]*Priya/);

    res = await act(priya, 'tickets.issuePass', id);
    assert.match(cardText(res.body.value), /Record how you confirmed their identity first/);

    res = await act(priya, 'tickets.verify', id, { method: 'callback', note: 'called desk line' });
    assert.match(cardText(res.body.value), /Identity verified/);

    res = await act(priya, 'tickets.revokeSessions', id);
    assert.match(cardText(res.body.value), /Signed out everywhere/);
    const simUser = await call(h.sim, 'GET', `/_sim/users/${requester.id}`, { token: null });
    assert.ok(JSON.stringify(simUser.json).match(/revoked/i), 'the stand-in recorded the revoke');

    const device = requester.authenticatorDevices[0];
    res = await act(priya, 'tickets.removeDevice', id, { deviceId: device.id });
    assert.equal(res.status, 200);
    const left = await h.app.parts.directory.authenticatorDevices(requester.id);
    assert.equal(
      left.find((d) => d.id === device.id),
      undefined,
      'the lost Authenticator is gone',
    );

    h.connector.clear();
    res = await act(priya, 'tickets.issuePass', id);
    await h.settle();
    const privateView = cardText(res.body.value);
    assert.match(privateView, /Temporary Access Pass for/);
    assert.match(privateView, /Only you can see this/);
    const code = (res.body.value.body as Array<{ items?: Array<{ text?: string }> }>)[2].items![0]
      .text!;
    assert.ok(code.length >= 8, 'the code is shown to the issuer');

    const taps = await call(
      h.sim,
      'GET',
      `/v1.0/users/${requester.id}/authentication/temporaryAccessPassMethods`,
    );
    assert.equal((taps.json.value as unknown[]).length, 1, 'the stand-in has the pass');

    // The shared card was updated and the thread told who issued it, when, and the expiry.
    const updates = h.connector.calls.filter((c) => c.method === 'PUT');
    assert.ok(updates.length >= 1);
    const announce = h.connector
      .activities()
      .find((a) => /issued a one-time Temporary Access Pass/.test(String(a.text)));
    assert.ok(announce, 'announced in the thread');
    assert.match(announce._call.conversationId, /;messageid=/);

    // The requester heard about every recovery action, in chat and by email, never with the code.
    const mail = await call(h.sim, 'GET', '/_sim/mail', { token: null });
    assert.match(mail.text, /call IT now/);
    assert.equal(mail.text.includes(code), false);
    for (const c of h.connector.calls)
      assert.equal(JSON.stringify(c.body).includes(code), false, 'code in an outgoing activity');
    assert.equal(logLines.join('').includes(code), false, 'code in a log line');
    const dbBytes = ['mfa-bot.db', 'mfa-bot.db-wal']
      .map((f) => path.join(h.dataDir, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f).toString('latin1'))
      .join('');
    assert.equal(dbBytes.includes(code), false, 'code in the database');
    const simState = fs
      .readdirSync(path.join(h.dataDir, 'graph-sim'))
      .map((f) => fs.readFileSync(path.join(h.dataDir, 'graph-sim', f)).toString('latin1'))
      .join('');
    assert.equal(simState.includes(code), false, 'code in the stand-in state');

    res = await h.click(priya, 'tickets.passGiven', { ticketId: id });
    assert.equal(cardText(res.body.value).includes(code), false);

    const audit = await h.app.parts.audit.all();
    const actions = audit.filter((r) => r.outcome === 'success').map((r) => r.action);
    for (const a of [
      'tickets.assign',
      'tickets.verify',
      'graph.revokeSignInSessions',
      'graph.removeAuthenticator',
      'graph.createTemporaryAccessPass',
    ]) {
      assert.ok(actions.includes(a), `audited ${a}`);
    }
    assert.ok(
      audit.some((r) => r.graphRequestId),
      'Graph request ids are in the audit log',
    );
    assert.equal(JSON.stringify(audit).includes(code), false);
  });

  it('refuses a staff member clicking IT actions, and audits it', async () => {
    const id = await report(userOf(requester));
    const nurse = userOf(byUpn(h, 'nora.nguyen@riverbendfm.example'));
    const res = await act(nurse, 'tickets.assign', id);
    assert.match(cardText(res.body.value), /only the IT team/i);
    assert.equal((await h.app.parts.tickets.get(id))!.value.assignee, undefined);
    const denied = (await h.app.parts.audit.all()).filter((r) => r.outcome === 'denied');
    assert.equal(denied.at(-1)?.actor, nurse.aadObjectId);
  });

  it('never lets IT members act on their own ticket', async () => {
    const id = await report(theo);
    for (const verb of ['tickets.assign', 'tickets.verify', 'tickets.issuePass']) {
      const res = await act(theo, verb, id, { method: 'in-person' });
      assert.match(cardText(res.body.value), /your own request/, verb);
    }
    assert.equal((await h.app.parts.tickets.get(id))!.value.status, 'open');
  });

  it('needs a second, different person to confirm identity for a privileged account', async () => {
    const admin = userOf(byUpn(h, 'grace.lindqvist@riverbendfm.example'));
    const id = await report(admin);
    assert.equal((await h.app.parts.tickets.get(id))!.value.privileged, true);
    await act(priya, 'tickets.verify', id, { method: 'in-person' });
    let res = await act(priya, 'tickets.issuePass', id);
    assert.match(cardText(res.body.value), /second person must confirm/);
    res = await act(priya, 'tickets.confirmVerification', id);
    assert.match(cardText(res.body.value), /A different person has to confirm/);
    res = await act(theo, 'tickets.confirmVerification', id);
    assert.match(cardText(res.body.value), /Theo Okafor confirmed it/);
    res = await act(priya, 'tickets.issuePass', id);
    assert.match(cardText(res.body.value), /Temporary Access Pass for/);
  });

  it('issues no pass for a holder of an Entra admin role', async () => {
    const marcus = userOf(byUpn(h, 'marcus.bell@riverbendfm.example'));
    const id = await report(marcus);
    await act(priya, 'tickets.verify', id, { method: 'in-person' });
    await act(theo, 'tickets.confirmVerification', id);
    const res = await act(priya, 'tickets.issuePass', id);
    assert.match(cardText(res.body.value), /Microsoft Entra admin center/);
    const taps = await call(
      h.sim,
      'GET',
      `/v1.0/users/${marcus.aadObjectId}/authentication/temporaryAccessPassMethods`,
    );
    assert.equal((taps.json.value as unknown[]).length, 0);
  });

  it('gives exactly one pass when twenty clicks arrive at once', async () => {
    const id = await report(userOf(requester));
    await act(priya, 'tickets.verify', id, { method: 'callback' });
    const version = await v(id);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.click(priya, 'tickets.issuePass', { ticketId: id, v: version }),
      ),
    );
    assert.ok(responses.every((r) => r.status === 200));
    const withCode = responses.filter((r) => /Only you can see this/.test(cardText(r.body.value)));
    assert.equal(withCode.length, 1);
    const creates = h.sim.requests
      .all()
      .filter((r) => r.method === 'POST' && r.path.includes('temporaryAccessPassMethods'));
    assert.equal(creates.length, 1);
  });

  it('refuses an action from a stale card and shows the current one', async () => {
    const id = await report(userOf(requester));
    const old = await v(id);
    await act(priya, 'tickets.assign', id);
    const res = await h.click(theo, 'tickets.verify', { ticketId: id, v: old, method: 'callback' });
    assert.match(cardText(res.body.value), /out of date, so nothing was changed/);
    assert.equal((await h.app.parts.tickets.get(id))!.value.verification, undefined);
  });

  it('answers a forged or unknown ticket plainly and changes nothing', async () => {
    let res = await h.click(priya, 'tickets.assign', { ticketId: 'MFA-9999', v: 1 });
    assert.match(cardText(res.body.value), /can't find ticket MFA-9999/);
    res = await h.click(priya, 'tickets.assign', { ticketId: '../../etc', v: 1 });
    assert.match(cardText(res.body.value), /out of date/);
  });

  it('joins a second report to the open ticket', async () => {
    const staff = userOf(requester);
    const first = await report(staff);
    const res = await h.click(staff, 'lostDevice.submit', { ...INTAKE, happened: 'lost' });
    assert.match(cardText(res.body.value), new RegExp(`already have request ${first} open`));
    assert.equal((await h.app.parts.tickets.listOpen()).length, 1);
  });

  it('does not send a note holding a code, and stores nothing', async () => {
    const res = await h.click(userOf(requester), 'lostDevice.submit', {
      ...INTAKE,
      note: 'my code is 493817',
    });
    assert.match(cardText(res.body.value), /didn't send anything/);
    assert.equal((await h.app.parts.tickets.listOpen()).length, 0);
  });

  it('reminds the thread when a ticket waits past its SLA unassigned', async () => {
    const id = await report(userOf(requester));
    h.connector.clear();
    clock.advance(14 * MINUTE);
    await h.app.parts.scheduler.runDue();
    assert.equal(h.connector.activities().length, 0);
    clock.advance(2 * MINUTE);
    await h.app.parts.scheduler.runDue();
    const reminder = h.connector
      .activities()
      .find((a) => /waited \d+ minutes with nobody assigned/.test(String(a.text)));
    assert.ok(reminder, 'SLA reminder in the thread');
    assert.match(reminder._call.conversationId, /;messageid=/);
    assert.match(String(reminder.text), new RegExp(id));
  });

  it('lets the requester withdraw, and only the requester', async () => {
    const staff = userOf(requester);
    const id = await report(staff);
    let res = await h.click(priya, 'lostDevice.withdraw', { ticketId: id, v: await v(id) });
    assert.match(cardText(res.body.value), /can't find that request/);
    res = await h.click(staff, 'lostDevice.withdraw', { ticketId: id, v: await v(id) });
    assert.match(cardText(res.body.value), /Withdrawn/);
    assert.equal((await h.app.parts.tickets.get(id))!.value.status, 'withdrawn');
  });

  it('keeps the ticket unchanged and says so when the directory fails mid-action, and audits it', async () => {
    const id = await report(userOf(requester));
    await act(priya, 'tickets.verify', id, { method: 'callback' });
    await simFaults(h, {
      rate: 1,
      status: 503,
      paths: '/users/' + requester.id + '/revokeSignInSessions',
    });
    try {
      const res = await act(priya, 'tickets.revokeSessions', id);
      assert.equal(res.status, 200);
      assert.match(
        cardText(res.body.value),
        /can't reach Microsoft 365 right now\. Nothing was changed/,
      );
    } finally {
      await simFaults(h, null);
    }
    const t = (await h.app.parts.tickets.get(id))!.value;
    assert.equal(t.sessionsRevokedAt, undefined);
    assert.equal(t.pending, undefined);
    const failed = (await h.app.parts.audit.all()).filter((r) => r.outcome === 'failed');
    assert.equal(failed.at(-1)?.action, 'graph.revokeSignInSessions');
    const res = await act(priya, 'tickets.revokeSessions', id);
    assert.match(
      cardText(res.body.value),
      /Signed out everywhere/,
      'works again once Graph is back',
    );
  });

  it('lists open tickets for IT only', async () => {
    const id = await report(userOf(requester));
    const replies = await h.say(priya, 'tickets');
    assert.match(cardText(cardOf(replies[0])), new RegExp(id));
    const staffReplies = await h.say(userOf(requester), 'tickets');
    assert.doesNotMatch(cardText(cardOf(staffReplies[0])), new RegExp(id));
  });
});

describe('lost phone reported before the bot joined the IT team', () => {
  it('keeps the ticket and posts it once the bot is added to the IT team', async () => {
    const h = await startHarness();
    try {
      const staff = userOf(
        h.practice.users.find((u) => u.userPrincipalName === 'nora.nguyen@riverbendfm.example')!,
      );
      const res = await h.click(staff, 'lostDevice.submit', INTAKE);
      assert.match(cardText(res.body.value), /MFA-0001/);
      assert.equal(h.connector.activities(IT_CHANNEL).length, 0);
      const pending = await h.app.parts.scheduler.pending('ticket.post');
      assert.equal(pending.length, 1, 'a re-post is queued');
      const priya = userOf(
        h.practice.users.find((u) => u.userPrincipalName === 'priya.raman@riverbendfm.example')!,
      );
      await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
      const posted = await h.connector.waitFor(() =>
        h.connector.activities(IT_CHANNEL).find((a) => cardText(cardOf(a)).includes('MFA-0001')),
      );
      assert.ok(posted);
    } finally {
      await h.close();
    }
  });
});

describe('a Microsoft Graph outage', () => {
  it('is announced in the IT channel once, and again when it is over', async () => {
    const clock = new ManualClock(new Date());
    const h = await startHarness({ clock });
    try {
      const priya = userOf(
        h.practice.users.find((u) => u.userPrincipalName === 'priya.raman@riverbendfm.example')!,
      );
      await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
      await simFaults(h, { rate: 1, status: 503 });
      const nurse = userOf(
        h.practice.users.find((u) => u.userPrincipalName === 'nora.nguyen@riverbendfm.example')!,
      );
      let last = '';
      for (let i = 0; i < 5; i += 1) {
        const res = await h.click(nurse, 'status.mine');
        last = cardText(res.body.value);
        assert.match(last, /can't reach Microsoft 365/);
      }
      assert.match(last, /IT has been told/, 'once the outage is known, people hear IT knows');
      const notices = (re: RegExp) =>
        h.connector.activities(IT_CHANNEL).filter((a) => re.test(String(a.text)));
      await h.connector.waitFor(
        () => notices(/can't reach Microsoft 365/).length === 1,
        5000,
        'the outage notice',
      );
      await simFaults(h, null);
      clock.advance(31_000);
      const res = await h.click(nurse, 'status.mine');
      assert.match(cardText(res.body.value), /Your sign-in security/);
      await h.connector.waitFor(
        () => notices(/reachable again/).length === 1,
        5000,
        'the all-clear',
      );
      assert.equal(
        notices(/can't reach Microsoft 365/).length,
        1,
        'announced once, not per failure',
      );
    } finally {
      await h.close();
    }
  });
});
