import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DAY, ManualClock } from '../../services/clock';
import { FAST } from '../campaigns/harness';
import { call } from '../graph-sim/helpers';
import type { TestUser } from '../helpers/activities';
import {
  cardOf,
  cardText,
  patchSimUser,
  simFaults,
  startHarness,
  userOf,
  type Harness,
} from '../helpers/harness';

/** "readiness" in Teams: the card, who may see what, Refresh, an outage, and the weekly summary. */

type Action = { type: string; title: string; verb?: string; url?: string; data?: unknown };

/** Every action on a card, nested ones (show cards, action sets) included. */
function actionsOf(card: unknown): Action[] {
  const out: Action[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (typeof n.type === 'string' && n.type.startsWith('Action.')) out.push(n as Action);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** The status shown for one check: "Registration campaign on: fail" → "fail". */
function statusOf(card: unknown, title: string): string | undefined {
  const line = cardText(card)
    .split('\n')
    .find((l) => l.startsWith(`${title}: `));
  return line?.slice(title.length + 2);
}

async function setPolicies(h: Harness, body: unknown): Promise<void> {
  const res = await call(h.sim, 'PATCH', '/_sim/policies', { token: null, body });
  assert.equal(res.status, 200, res.text);
}

describe('rollout readiness in Teams', () => {
  let h: Harness;
  let diane: TestUser;
  let priya: TestUser;
  let nora: TestUser;
  const person = (upn: string) =>
    userOf(h.practice.users.find((u) => u.userPrincipalName === upn)!);

  beforeEach(async () => {
    h = await startHarness();
    diane = person('diane.whitaker@riverbendfm.example');
    priya = person('priya.raman@riverbendfm.example');
    nora = person('nora.nguyen@riverbendfm.example');
  });
  afterEach(async () => {
    await h.close();
    fs.rmSync(h.dataDir, { recursive: true, force: true });
  });

  async function readiness(user: TestUser) {
    const [reply] = await h.say(user, 'readiness');
    return cardOf(reply!)!;
  }

  it('shows an admin each check with its status, reason, risk and where to fix it, blocking items first', async () => {
    const card = await readiness(diane);
    const text = cardText(card);
    assert.match(text, /Rollout readiness/);
    assert.match(text, /Not ready to enforce: \d+ items? blocks? it/);
    // The demo practice is partly ready: MFA by Conditional Access, the campaign off.
    assert.equal(statusOf(card, 'MFA required for everyone'), 'pass');
    assert.equal(statusOf(card, 'Registration campaign on'), 'fail');
    assert.match(text, /^\d\. Registration campaign on: /m, 'a blocking item is listed on top');
    assert.ok((text.match(/^Risk: /gm) ?? []).length >= 9, 'each check says its risk');
    const fixLinks = actionsOf(card).filter((a) => a.title === 'Open in Entra');
    assert.ok(fixLinks.length >= 9);
    assert.ok(fixLinks.every((a) => a.url?.startsWith('https://')));
    assert.ok(
      !actionsOf(card).some((a) => a.title === 'Show the change'),
      'the exact change is for IT',
    );
    assert.match(text, /IT can see the exact change/);
    assert.ok(actionsOf(card).some((a) => a.verb === 'admin.digestOn'));
  });

  it('shows IT the exact change for an item, in the Entra admin center and as a Graph request', async () => {
    const card = await readiness(priya);
    const change = actionsOf(card).filter((a) => a.title === 'Show the change');
    assert.ok(change.length > 0);
    const all = cardText(change.map((a) => (a as { card?: unknown }).card));
    assert.match(all, /In the Entra admin center:/);
    assert.match(all, /^PATCH https:\/\/graph\.microsoft\.com\/v1\.0\/policies\//m);
    assert.match(all, /The bot only reads these settings: IT makes the change\./);
    assert.ok(
      !actionsOf(card).some((a) => a.verb?.startsWith('admin.digest')),
      'the weekly summary is for admins',
    );
  });

  it('refuses staff, typed or clicked, and audits the refusal', async () => {
    const [typed] = await h.say(nora, 'readiness');
    assert.match(cardText(cardOf(typed!)), /only for IT and practice admins/);
    const clicked = await h.click(nora, 'admin.readiness', { refresh: true });
    assert.match(cardText(clicked.body.value), /only for IT and practice admins/);
    const forged = await h.click(nora, 'admin.digestOn');
    assert.match(cardText(forged.body.value), /only for practice admins/);
    const denied = (await h.app.parts.audit.all()).filter(
      (r) => r.actor === nora.aadObjectId && r.outcome === 'denied',
    );
    assert.deepEqual(denied.map((r) => r.action).sort(), [
      'admin.digestOn',
      'admin.readiness',
      'admin.readiness',
    ]);
    assert.equal(await h.app.parts.readiness.subscriptions.isOptedIn(nora.aadObjectId), false);
  });

  it('"Check again now" reads the tenant afresh and answers with the card to put in place', async () => {
    const before = await readiness(diane);
    assert.equal(statusOf(before, 'Registration campaign on'), 'fail');
    await setPolicies(h, { registrationCampaign: { state: 'enabled' } });

    const again = await h.click(diane, 'admin.readiness');
    assert.equal(
      statusOf(again.body.value, 'Registration campaign on'),
      'fail',
      'a check from the last hour is shown as it is',
    );
    const refresh = actionsOf(before).find((a) => a.title === 'Check again now')!;
    const res = await h.click(diane, refresh.verb!, refresh.data);
    assert.equal(res.body.statusCode, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.equal(statusOf(res.body.value, 'Registration campaign on'), 'pass');
  });

  it("says plainly that it can't check now when Microsoft 365 is down, with the last check if there is one", async () => {
    await simFaults(h, { status: 503, paths: '/policies' });
    try {
      const first = await h.click(diane, 'admin.readiness', { refresh: true });
      assert.match(cardText(first.body.value), /^Can't check now/);
      assert.match(cardText(first.body.value), /Microsoft 365 isn't answering/);
      assert.doesNotMatch(cardText(first.body.value), /can't see this/);
    } finally {
      await simFaults(h, null);
    }
    const good = await h.click(diane, 'admin.readiness', { refresh: true });
    assert.match(cardText(good.body.value), /Not ready to enforce/);

    await simFaults(h, { status: 503, paths: '/policies' });
    try {
      const res = await h.click(diane, 'admin.readiness', { refresh: true });
      const text = cardText(res.body.value);
      assert.match(text, /I can't check the practice's settings right now/);
      assert.match(text, /Below is the last check, with its time/);
      assert.match(text, /As of /);
      assert.match(text, /Not ready to enforce/);
    } finally {
      await simFaults(h, null);
    }
  });
});

/** Graph's report reads at test speed for the jobs that run as days pass. */
const TEST_SPEED = {
  campaignTuning: FAST,
  monitorReads: { requests: 100, perMs: 1000 },
};

describe('the weekly readiness summary', () => {
  it('goes once a week to an admin who asked for it, and stops when they opt out', async () => {
    // A Thursday: the first summary goes out the next Monday.
    const clock = new ManualClock(new Date('2026-12-03T09:00:00Z'));
    // Graph reads at test speed: the coverage snapshot and the sign-in monitor run on those days.
    const h = await startHarness({ clock, ...TEST_SPEED });
    try {
      const diane = userOf(
        h.practice.users.find((u) => u.userPrincipalName === 'diane.whitaker@riverbendfm.example')!,
      );
      const summaries = () =>
        h.connector
          .activities()
          .filter((a) => /Weekly MFA rollout digest/.test(cardText(cardOf(a))));
      const advance = async (ms: number) => {
        clock.advance(ms);
        await h.app.parts.scheduler.runDue();
        await h.settle();
      };
      h.app.start();
      await h.settle();

      const [reply] = await h.say(diane, 'readiness');
      const optIn = actionsOf(cardOf(reply!)).find((a) => a.verb === 'admin.digestOn')!;
      assert.equal(optIn.title, 'Send me a weekly summary');
      const on = await h.click(diane, optIn.verb!);
      assert.match(cardText(on.body.value), /every Monday you'll get a weekly summary/);
      assert.ok(actionsOf(on.body.value).some((a) => a.title === 'Stop my weekly summary'));

      await advance(3 * DAY);
      assert.equal(summaries().length, 0, 'not before Monday');
      await advance(2 * DAY);
      assert.equal(summaries().length, 1);
      await advance(DAY);
      await h.app.parts.scheduler.runDue();
      assert.equal(summaries().length, 1, 'exactly one that week');
      const sent = summaries()[0]!;
      assert.equal(sent._call.conversationId, reply!.conversation?.id, 'in her chat with the bot');
      const text = cardText(cardOf(sent));
      assert.match(text, /\d+ of \d+ staff \(\d+%\)/);
      assert.match(text, /Not ready to enforce/);
      assert.match(text, /IT requests/);
      assert.match(text, /\d+ open/);

      const off = await h.click(diane, 'admin.digestOff');
      assert.match(cardText(off.body.value), /The weekly summary is off/);
      await advance(7 * DAY);
      assert.equal(summaries().length, 1, 'none after opting out');
      const choices = (await h.app.parts.audit.all())
        .filter((r) => r.actor === diane.aadObjectId && r.action.startsWith('admin.digest'))
        .map((r) => `${r.action} ${r.outcome}`);
      assert.deepEqual(choices, ['admin.digestOn success', 'admin.digestOff success']);
    } finally {
      await h.close();
      fs.rmSync(h.dataDir, { recursive: true, force: true });
    }
  });

  it('is not sent to someone who left the admin group since opting in', async () => {
    const clock = new ManualClock(new Date('2026-12-03T09:00:00Z'));
    const h = await startHarness({ clock, ...TEST_SPEED });
    try {
      const upn = 'diane.whitaker@riverbendfm.example';
      const diane = userOf(h.practice.users.find((u) => u.userPrincipalName === upn)!);
      h.app.start();
      await h.settle();
      await h.say(diane, 'readiness');
      const on = await h.click(diane, 'admin.digestOn');
      assert.match(cardText(on.body.value), /weekly summary/);
      await patchSimUser(h, upn, { memberOf: [] });
      clock.advance(5 * DAY);
      await h.app.parts.scheduler.runDue();
      await h.settle();
      const summaries = h.connector
        .activities()
        .filter((a) => /Weekly MFA rollout digest/.test(cardText(cardOf(a))));
      assert.equal(summaries.length, 0);
    } finally {
      await h.close();
      fs.rmSync(h.dataDir, { recursive: true, force: true });
    }
  });
});
