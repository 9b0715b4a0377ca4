import assert from 'node:assert/strict';
import { ManualClock } from '../../services/clock';
import type { PracticeUser } from '../../services/directory/practice';
import { botAddedToTeam, type TestUser } from '../helpers/activities';
import {
  cardOf,
  cardText,
  patchSimUser,
  startHarness,
  userOf,
  type Harness,
} from '../helpers/harness';

const NORA = 'nora.nguyen@riverbendfm.example';
const PRIYA = 'priya.raman@riverbendfm.example';

type Node = Record<string, unknown>;

function byUpn(h: Harness, upn: string): PracticeUser {
  const u = h.practice.users.find((x) => x.userPrincipalName === upn);
  if (!u) throw new Error(`no ${upn}`);
  return u;
}

/** What a person reads without opening anything: the body, minus cards behind buttons. */
function visibleText(card: Node): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'Action.ShowCard') return;
    if (typeof n.text === 'string') out.push(n.text);
    for (const [k, v] of Object.entries(n)) if (k !== 'actions') walk(v);
  };
  walk(card.body);
  return out.join('\n');
}

/** Every Action.ShowCard's title and what it reveals. */
function showCards(card: Node): Array<{ title: string; text: string }> {
  const found: Array<{ title: string; text: string }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'Action.ShowCard')
      found.push({ title: String(n.title), text: cardText(n.card) });
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('card wording staff notice', () => {
  let h: Harness;
  let clock: ManualClock;
  let nora: TestUser;

  beforeEach(async () => {
    clock = new ManualClock('2026-03-02T08:00:00Z');
    h = await startHarness({ clock });
    nora = userOf(byUpn(h, NORA));
  });
  afterEach(async () => {
    await h.close();
  });

  async function toVerify(): Promise<void> {
    await h.say(nora, 'set up');
    for (const step of ['why', 'install', 'register', 'approve'])
      await h.click(nora, 'onboarding.next', { step });
  }

  it('"Check again" says when it checked and what it found', async () => {
    await toVerify();
    clock.advance(5 * 60_000);
    const res = await h.click(nora, 'onboarding.check', { step: 'verify' });
    const text = cardText(res.body.value);
    assert.match(text, /I checked at 8:05 AM/);
    assert.match(text, /no Authenticator on your account yet/);
    assert.match(text, /2 checks so far/);
  });

  it('"I\'m stuck" gives one short answer, with the rest behind buttons', async () => {
    await toVerify();
    const res = await h.click(nora, 'onboarding.stuck', { step: 'verify' });
    const card = res.body.value as Node;
    const shown = visibleText(card);
    assert.ok(words(shown) <= 60, `${words(shown)} words shown at once:\n${shown}`);
    assert.doesNotMatch(shown, /^\d+\. /m, 'no numbered steps until asked');
    const more = showCards(card);
    assert.ok(
      more.some((m) => /^\d+\. /m.test(m.text)),
      'the steps are one click away',
    );
    assert.ok(more.length >= 2, 'other fixes are one click away too');
  });

  it('welcomes someone back in plain words, without quoting a step title', async () => {
    await toVerify();
    const [reply] = await h.say(nora, 'set up');
    const text = cardText(cardOf(reply));
    assert.match(text, /Welcome back! /);
    assert.doesNotMatch(text, /You were at step "/);
    assert.match(text, /Welcome back! I'm checking your setup with Microsoft 365\./);
  });

  it('answers "thanks" with a short reply, not the whole menu', async () => {
    for (const said of ['thanks', 'Thank you!', 'ok thanks', 'thx']) {
      const replies = await h.say(nora, said);
      assert.equal(replies.length, 1, said);
      assert.equal(cardOf(replies[0]!), undefined, `"${said}" got a card`);
      assert.match(String(replies[0]!.text), /welcome/i, said);
    }
  });
});

describe('card wording on IT requests', () => {
  let h: Harness;
  let priya: TestUser;

  beforeEach(async () => {
    h = await startHarness();
    priya = userOf(byUpn(h, PRIYA));
    await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
  });
  afterEach(async () => {
    await h.close();
  });

  function withAuthenticator(): PracticeUser {
    return h.practice.users.find(
      (u) =>
        u.memberOf.includes(h.config.groups.roles.Nursing) &&
        u.authenticatorDevices.length > 0 &&
        u.accountEnabled !== false &&
        !u.isAdmin,
    )!;
  }

  async function report(user: TestUser, verifyBy: string) {
    return h.click(user, 'lostDevice.submit', {
      happened: 'lost',
      when: 'today',
      hadWorkApps: 'yes',
      verifyBy,
    });
  }

  it('promises no call back to someone coming in person', async () => {
    const res = await report(userOf(withAuthenticator()), 'in-person');
    const text = cardText(res.body.value);
    assert.doesNotMatch(text, /call back/i);
    assert.match(text, /come to IT/i);
  });

  it('does not ask the person who started the request whether they started it', async () => {
    const res = await report(userOf(withAuthenticator()), 'callback');
    const text = cardText(res.body.value);
    assert.doesNotMatch(text, /did not start it/);
    assert.match(text, /call IT at 555-0100/);
  });

  it('offers "Recovered: new phone set up" only when Microsoft 365 shows Authenticator', async () => {
    const requester = withAuthenticator();
    const id = /request (MFA-\d{4})/.exec(
      cardText((await report(userOf(requester), 'callback')).body.value),
    )![1]!;
    const v = async () => (await h.app.parts.tickets.get(id))!.value.version;
    let card = await h.click(priya, 'tickets.view', { ticketId: id });
    assert.match(cardText(card.body.value), /Recovered: new phone set up/);

    await patchSimUser(h, requester.id, { methodsRegistered: ['mobilePhone'] });
    card = await h.click(priya, 'tickets.view', { ticketId: id });
    assert.doesNotMatch(cardText(card.body.value), /Recovered: new phone set up/);
    const forged = await h.click(priya, 'tickets.resolve', {
      ticketId: id,
      v: await v(),
      reason: 'recovered',
    });
    assert.match(cardText(forged.body.value), /no Authenticator/);
    assert.equal((await h.app.parts.tickets.get(id))!.value.status, 'open');
  });

  it("shows IT the person's question and the titles of what they tried", async () => {
    const nora = userOf(byUpn(h, NORA));
    await h.click(nora, 'troubleshoot.askIt', {
      tried: ['no-signal', 'traveling-abroad'],
      q: 'no codes while I am in Spain',
    });
    const [ticket] = await h.app.parts.tickets.listOpen();
    const text = cardText(
      (await h.click(priya, 'tickets.view', { ticketId: ticket!.id })).body.value,
    );
    assert.match(text, /no codes while I am in Spain/);
    assert.match(text, new RegExp(h.app.parts.kb.get('no-signal')!.title));
    assert.match(text, new RegExp(h.app.parts.kb.get('traveling-abroad')!.title));
    assert.doesNotMatch(text, /traveling-abroad|no-signal/);
  });
});
