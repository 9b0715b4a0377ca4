import assert from 'node:assert/strict';
import { ManualClock, MINUTE } from '../../services/clock';
import type { PracticeUser } from '../../services/directory/practice';
import { botAddedToTeam, IT_CHANNEL, type TestUser } from '../helpers/activities';
import * as build from '../helpers/activities';
import { call } from '../graph-sim/helpers';
import {
  cardOf,
  cardText,
  patchSimUser,
  simFaults,
  startHarness,
  userOf,
  type Harness,
} from '../helpers/harness';

/**
 * The recovery flow under attack: a withdrawn or closed ticket, a stale identity check, a
 * directory that cannot say who is an admin, a burst of clicks, replayed and forged payloads, a
 * requester's note dressed up as IT's words. Every refusal leaves Entra untouched.
 */

const INTAKE = { happened: 'stolen', when: 'today', hadWorkApps: 'yes', verifyBy: 'callback' };

describe('recovery integrity', () => {
  let h: Harness;
  let clock: ManualClock;
  let priya: TestUser;
  let theo: TestUser;

  const user = (upn: string): PracticeUser => {
    const u = h.practice.users.find((x) => x.userPrincipalName.startsWith(`${upn}@`));
    if (!u) throw new Error(`no ${upn}`);
    return u;
  };

  async function start(env: Record<string, string> = {}) {
    clock = new ManualClock(new Date('2026-12-07T14:00:00Z'));
    h = await startHarness({ clock, env });
    priya = userOf(user('priya.raman'));
    theo = userOf(user('theo.okafor'));
    h.connector.members = [priya, theo, userOf(user('nora.nguyen'))].map((u) => ({
      id: `29:${u.aadObjectId}`,
      name: u.name,
      aadObjectId: u.aadObjectId,
    }));
    assert.equal((await h.post(botAddedToTeam(priya, h.config.groups.it, h.options))).status, 200);
  }

  afterEach(async () => {
    await h?.close();
  });

  async function report(u: TestUser): Promise<string> {
    const res = await h.click(u, 'lostDevice.submit', INTAKE);
    const match = /request (MFA-\d{4})/.exec(cardText(res.body.value));
    assert.ok(match, cardText(res.body.value));
    return match[1];
  }

  const ticket = async (id: string) => (await h.app.parts.tickets.get(id))!.value;

  async function act(u: TestUser, verb: string, id: string, extra: Record<string, unknown> = {}) {
    const res = await h.click(u, verb, { ticketId: id, v: (await ticket(id)).version, ...extra });
    assert.equal(res.status, 200);
    return cardText(res.body.value);
  }

  async function passesFor(u: PracticeUser): Promise<number> {
    const res = await call(
      h.sim,
      'GET',
      `/v1.0/users/${u.id}/authentication/temporaryAccessPassMethods`,
    );
    return (res.json.value as unknown[]).length;
  }

  /** Calls that change someone's sign-in in Entra (reads, mail and group checks excluded). */
  const entraChanges = () =>
    h.sim.requests
      .all()
      .filter(
        (r) =>
          r.method === 'DELETE' ||
          (/temporaryAccessPassMethods$|revokeSignInSessions$/.test(r.path) && r.method === 'POST'),
      ).length;

  const tapCreates = () =>
    h.sim.requests
      .all()
      .filter((r) => r.method === 'POST' && r.path.includes('temporaryAccessPassMethods')).length;

  const refusals = async (reason: string) =>
    (await h.app.parts.audit.all()).filter((r) => r.reason === reason);

  describe('1. only while the ticket is active', () => {
    beforeEach(() => start());

    it('issues no pass, signs nobody out and removes nothing once the requester withdrew', async () => {
      const olivia = user('olivia.brandt');
      const id = await report(userOf(olivia));
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      const withdrawn = await h.click(userOf(olivia), 'lostDevice.withdraw', {
        ticketId: id,
        v: (await ticket(id)).version,
      });
      assert.match(cardText(withdrawn.body.value), /Nothing more will happen/);
      for (const [verb, extra] of [
        ['tickets.issuePass', {}],
        ['tickets.revokeSessions', {}],
        ['tickets.removeDevice', { deviceId: olivia.authenticatorDevices[0]!.id }],
      ] as const) {
        const text = await act(theo, verb, id, extra);
        assert.match(text, /withdrawn by the requester, so nothing was changed/, verb);
      }
      assert.equal(await passesFor(olivia), 0);
      assert.equal(entraChanges(), 0, 'nothing reached Entra');
      assert.equal((await refusals('closed')).length, 3);
    });

    it('issues no pass on a resolved ticket', async () => {
      const olivia = user('olivia.brandt');
      const id = await report(userOf(olivia));
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      await act(priya, 'tickets.resolve', id, { reason: 'found' });
      assert.match(await act(theo, 'tickets.issuePass', id), /resolved, so nothing was changed/);
      assert.equal(await passesFor(olivia), 0);
    });

    it('deletes a pass at once when the requester withdraws while it is being created', async () => {
      const olivia = user('olivia.brandt');
      const id = await report(userOf(olivia));
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      await simFaults(h, {
        latencyMs: 400,
        paths: `/users/${olivia.id}/authentication/temporaryAccessPassMethods`,
      });
      const issuing = act(priya, 'tickets.issuePass', id);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const withdrawn = await h.click(userOf(olivia), 'lostDevice.withdraw', {
        ticketId: id,
        v: (await ticket(id)).version,
      });
      assert.match(cardText(withdrawn.body.value), /Withdrawn/);
      const answer = await issuing;
      await simFaults(h, null);
      assert.doesNotMatch(answer, /Only you can see this/, 'no code shown');
      assert.match(answer, /deleted the pass/);
      assert.equal(await passesFor(olivia), 0, 'the pass is gone from Entra');
      assert.equal((await ticket(id)).status, 'withdrawn');
    });
  });

  describe('2. an identity check is fresh and good for one pass', () => {
    beforeEach(() => start({ VERIFICATION_TTL_MINUTES: '30' }));

    it('expires after VERIFICATION_TTL_MINUTES', async () => {
      const id = await report(userOf(user('olivia.brandt')));
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      clock.advance(31 * MINUTE);
      assert.match(await act(priya, 'tickets.issuePass', id), /identity check is too old/);
      assert.equal(tapCreates(), 0);
      await act(priya, 'tickets.verify', id, { method: 'in-person' });
      assert.match(await act(priya, 'tickets.issuePass', id), /Only you can see this/);
    });

    it('needs a new check for another pass, and says the earlier pass stops working', async () => {
      const olivia = user('olivia.brandt');
      const id = await report(userOf(olivia));
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      assert.match(await act(priya, 'tickets.issuePass', id), /Only you can see this/);
      clock.advance(5 * MINUTE);
      const again = await act(priya, 'tickets.issuePass', id);
      assert.match(again, /Record how you confirmed their identity first/);
      assert.match(again, /a new pass replaces it and the earlier one stops working/);
      assert.equal(tapCreates(), 1);
      await act(theo, 'tickets.verify', id, { method: 'in-person' });
      const second = await act(theo, 'tickets.issuePass', id);
      assert.match(second, /The pass issued at \d{1,2}:\d\d [AP]M UTC no longer works/);
      await h.settle();
      const thread = h.connector.activities().map((a) => String(a.text ?? ''));
      assert.ok(
        thread.some((t) =>
          /replaces the pass issued at \d{1,2}:\d\d [AP]M UTC, which no longer works/.test(t),
        ),
        'IT is told in the thread',
      );
    });

    it('needs two people again for a privileged account after a pass', async () => {
      const grace = user('grace.lindqvist');
      const id = await report(userOf(grace));
      await act(priya, 'tickets.verify', id, { method: 'in-person' });
      await act(theo, 'tickets.confirmVerification', id);
      assert.match(await act(priya, 'tickets.issuePass', id), /Only you can see this/);
      await act(priya, 'tickets.verify', id, { method: 'in-person' });
      assert.match(await act(priya, 'tickets.issuePass', id), /second person must confirm/);
      assert.equal(tapCreates(), 1);
    });

    it('is cleared by resolve, reopen and withdraw', async () => {
      const staff = userOf(user('olivia.brandt'));
      const id = await report(staff);
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      await act(priya, 'tickets.resolve', id, { reason: 'found' });
      assert.equal((await ticket(id)).verification, undefined);
      await act(priya, 'tickets.reopen', id);
      assert.match(
        await act(priya, 'tickets.issuePass', id),
        /Record how you confirmed their identity first/,
      );
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      await h.click(staff, 'lostDevice.withdraw', { ticketId: id, v: (await ticket(id)).version });
      assert.equal((await ticket(id)).verification, undefined);
    });
  });

  describe('3. the requester’s standing is read live, and any doubt stops the pass', () => {
    beforeEach(() => start());

    it('refuses an Entra admin even when the registration report is failing or unlicensed', async () => {
      const marcus = user('marcus.bell');
      for (const setup of [
        () => simFaults(h, { rate: 1, status: 503, paths: '/reports/' }),
        () => call(h.sim, 'PATCH', '/_sim/tenant', { body: { licence: 'free' }, token: null }),
      ]) {
        await setup();
        const id = await report(userOf(marcus));
        await act(priya, 'tickets.verify', id, { method: 'in-person' });
        await act(theo, 'tickets.confirmVerification', id);
        assert.match(await act(priya, 'tickets.issuePass', id), /Microsoft Entra admin center/);
        await act(priya, 'tickets.resolve', id, { reason: 'not-needed' });
        await simFaults(h, null);
      }
      assert.equal(await passesFor(marcus), 0);
    });

    it('refuses someone who may activate an admin role through Privileged Identity Management', async () => {
      const olivia = user('olivia.brandt');
      await call(h.sim, 'PATCH', '/_sim/tenant', { body: { licence: 'p2' }, token: null });
      const id = await report(userOf(olivia));
      await patchSimUser(h, olivia.id, { eligibleRoles: ['62e90394-69f5-4237-9190-012177145e10'] });
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      assert.match(
        await act(priya, 'tickets.issuePass', id),
        /can activate\) a Microsoft Entra admin role/,
      );
      assert.equal(await passesFor(olivia), 0);
    });

    it('fails closed when role assignments cannot be read, and audits it', async () => {
      const olivia = user('olivia.brandt');
      const id = await report(userOf(olivia));
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      await simFaults(h, { rate: 1, status: 503, paths: '/roleManagement/' });
      const text = await act(priya, 'tickets.issuePass', id);
      await simFaults(h, null);
      assert.match(text, /couldn't check right now whether .* holds an admin role/);
      assert.equal(await passesFor(olivia), 0);
      assert.equal((await refusals('standing-unknown')).length, 1);
      assert.equal((await ticket(id)).pending, undefined, 'the claim was released');
      assert.match(
        await act(priya, 'tickets.issuePass', id),
        /Only you can see this/,
        'works once Graph answers',
      );
    });

    it('treats an account as privileged when the directory cannot say at opening, and lets the live check settle it', async () => {
      const olivia = user('olivia.brandt');
      await simFaults(h, { rate: 1, status: 503, paths: '/roleManagement/' });
      const id = await report(userOf(olivia));
      await simFaults(h, null);
      assert.equal((await ticket(id)).privileged, true, 'unknown is treated as privileged');
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      assert.match(
        await act(priya, 'tickets.issuePass', id),
        /Only you can see this/,
        'one person is enough once the live check says so',
      );
      assert.equal((await ticket(id)).privileged, false);
    });

    it('needs a second person for someone added to Practice Admins after the ticket opened', async () => {
      const olivia = user('olivia.brandt');
      const id = await report(userOf(olivia));
      assert.equal((await ticket(id)).privileged, false);
      await patchSimUser(h, olivia.id, { memberOf: [...olivia.memberOf, h.config.groups.admin] });
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      assert.match(await act(priya, 'tickets.issuePass', id), /second person must confirm/);
      assert.equal(await passesFor(olivia), 0);
      assert.equal((await ticket(id)).privileged, true, 'the card now shows it as privileged');
      await act(theo, 'tickets.confirmVerification', id);
      assert.match(await act(priya, 'tickets.issuePass', id), /Only you can see this/);
    });
  });

  describe('4. the hourly pass limit holds under a burst', () => {
    beforeEach(() => start({ TAP_MAX_PER_HOUR: '5' }));

    const staff = [
      'olivia.brandt',
      'hannah.ivers',
      'lucia.ferreira',
      'yuki.tanaka',
      'victor.almeida',
      'owen.hughes',
      'ingrid.sorensen',
      'simone.laurent',
    ];

    async function verifiedTickets(n: number): Promise<string[]> {
      const ids: string[] = [];
      for (const upn of staff.slice(0, n)) {
        const id = await report(userOf(user(upn)));
        await act(theo, 'tickets.verify', id, { method: 'callback' });
        ids.push(id);
      }
      return ids;
    }

    it('lets eight simultaneous passes by one IT member through only five times', async () => {
      const ids = await verifiedTickets(8);
      const versions = await Promise.all(ids.map(async (id) => (await ticket(id)).version));
      const answers = await Promise.all(
        ids.map((id, i) => h.click(priya, 'tickets.issuePass', { ticketId: id, v: versions[i] })),
      );
      const issued = answers.filter((a) =>
        /Only you can see this/.test(cardText(a.body.value)),
      ).length;
      assert.equal(issued, 5);
      assert.equal(tapCreates(), 5);
      assert.equal(
        answers.filter((a) => /issued 5 passes in the last hour/.test(cardText(a.body.value)))
          .length,
        3,
      );
    });

    it('refuses the sixth pass in an hour, and gives a slot back when Graph fails', async () => {
      const ids = await verifiedTickets(7);
      await simFaults(h, { rate: 1, status: 503, count: 10, paths: '/users/' });
      assert.match(await act(priya, 'tickets.issuePass', ids[0]!), /Nothing was changed/);
      await simFaults(h, null);
      await act(theo, 'tickets.verify', ids[0]!, { method: 'callback' }).catch(() => undefined);
      for (const id of ids.slice(0, 5))
        assert.match(await act(priya, 'tickets.issuePass', id), /Only you can see this/, id);
      assert.match(
        await act(priya, 'tickets.issuePass', ids[5]!),
        /issued 5 passes in the last hour/,
      );
      clock.advance(61 * MINUTE);
      await act(theo, 'tickets.verify', ids[6]!, { method: 'callback' });
      assert.match(
        await act(priya, 'tickets.issuePass', ids[6]!),
        /Only you can see this/,
        'an hour later the limit is free again',
      );
    });
  });

  describe('5. every state-changing verb needs the card version', () => {
    beforeEach(() => start());

    it('refuses replays without v and changes nothing', async () => {
      const olivia = user('olivia.brandt');
      const id = await report(userOf(olivia));
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      const before = await ticket(id);
      const verbs: Array<[string, Record<string, unknown>]> = [
        ['tickets.assign', {}],
        ['tickets.verify', { method: 'callback' }],
        ['tickets.confirmVerification', {}],
        ['tickets.revokeSessions', {}],
        ['tickets.removeDevice', { deviceId: olivia.authenticatorDevices[0]!.id }],
        ['tickets.issuePass', {}],
        ['tickets.resolve', { reason: 'found' }],
        ['tickets.reopen', {}],
      ];
      for (const [verb, extra] of verbs) {
        const res = await h.click(theo, verb, { ticketId: id, ...extra });
        assert.match(cardText(res.body.value), /out of date/, verb);
      }
      const staffReplay = await h.click(userOf(olivia), 'lostDevice.withdraw', { ticketId: id });
      assert.match(cardText(staffReplay.body.value), /out of date/);
      assert.deepEqual(await ticket(id), before);
      assert.equal(entraChanges(), 0);
    });
  });

  describe('6. nothing a requester types can pass for IT’s words', () => {
    beforeEach(() => start());

    it('shows a note and a display name as plain text, apart from the identity check', async () => {
      const olivia = user('olivia.brandt');
      await patchSimUser(h, olivia.id, {
        displayName: '**Olivia** [IT verified](https://evil.example/x)',
      });
      const note =
        '[Verify me here](https://evil.example/verify) **IDENTITY VERIFIED by Priya**\nline two';
      const res = await h.click(userOf(olivia), 'lostDevice.submit', { ...INTAKE, note });
      const id = /request (MFA-\d{4})/.exec(cardText(res.body.value))![1]!;
      const view = await h.click(priya, 'tickets.view', { ticketId: id });
      const card = JSON.stringify(view.body.value);
      assert.doesNotMatch(
        card,
        /\*\*|\]\(|https:\/\/evil/,
        'no Markdown or live link anywhere on the card',
      );
      assert.match(card, /evil\[\.\]example/);
      const words = findRichText(view.body.value);
      assert.ok(
        words.some((w) => /IDENTITY VERIFIED by Priya line two/.test(w)),
        'the note is plain text on one line',
      );
      assert.match(cardText(view.body.value), /In their own words \(not checked by IT\)/);
      assert.match(cardText(view.body.value), /Identity check\nNot checked yet/);
      const post = h.connector
        .activities(IT_CHANNEL)
        .find((a) => cardText(cardOf(a)).includes(id))!;
      const shared = JSON.stringify(cardOf(post));
      assert.doesNotMatch(
        shared,
        /IDENTITY VERIFIED|Verify me here/,
        'the shared card shows none of their words',
      );
      assert.doesNotMatch(
        shared,
        /\*\*|\]\(|https:\/\//,
        'the display name is plain text there too',
      );
    });
  });

  describe('7. the first click on a new card works', () => {
    beforeEach(() => start());

    it('keeps the version the card carries when the channel post is saved', async () => {
      const id = await report(userOf(user('olivia.brandt')));
      await h.connector.waitFor(() =>
        h.connector.activities(IT_CHANNEL).find((a) => cardText(cardOf(a)).includes(id)),
      );
      assert.ok((await ticket(id)).thread, 'where the card lives is saved');
      assert.equal(
        (await ticket(id)).version,
        1,
        'saving it does not make the posted card out of date',
      );
      const refreshed = await h.post({
        ...build.execute(
          priya,
          'tickets.view',
          { ticketId: id },
          {
            ...h.options,
            conversationType: 'channel',
            conversationId: `${IT_CHANNEL};messageid=1`,
          },
        ),
        value: {
          action: { type: 'Action.Execute', verb: 'tickets.view', data: { ticketId: id } },
          trigger: 'automatic',
        },
      });
      const assign = findAction(refreshed.body, 'tickets.assign');
      assert.ok(assign, 'IT sees the actions in their own view');
      const res = await h.click(priya, 'tickets.assign', assign.data);
      assert.match(cardText(res.body.value), /Assigned to\nPriya Raman/);
    });
  });

  describe('8. methods have plain names', () => {
    beforeEach(() => start());

    it('names a pass once, as what it is, on the IT card and in My status', async () => {
      const olivia = user('olivia.brandt');
      const id = await report(userOf(olivia));
      await act(priya, 'tickets.verify', id, { method: 'callback' });
      await act(priya, 'tickets.issuePass', id);
      const it = cardText((await h.click(priya, 'tickets.view', { ticketId: id })).body.value);
      assert.doesNotMatch(it, /temporaryAccessPass|AuthenticationMethod/);
      assert.match(it, /Temporary Access Pass\nshort-term, for setting up only/);
      const mine = cardText((await h.click(userOf(olivia), 'status.mine')).body.value);
      assert.doesNotMatch(mine, /Temporary Access Pass\nTemporary Access Pass/);
      assert.match(
        mine,
        /Temporary Access Pass from IT\. It is short-term and only for setting up/,
      );
    });
  });

  describe('9. who sees the actions', () => {
    beforeEach(() => start());

    it('posts a read-only card that refreshes into the actions for IT members only', async () => {
      const nora = userOf(user('nora.nguyen'));
      const id = await report(userOf(user('olivia.brandt')));
      const post = await h.connector.waitFor(() =>
        h.connector.activities(IT_CHANNEL).find((a) => cardText(cardOf(a)).includes(id)),
      );
      const shared = cardOf(post)!;
      assert.equal(
        findAction(shared, 'tickets.assign'),
        undefined,
        'no actions on the shared card',
      );
      const refresh = shared.refresh as { userIds: string[]; action: { verb: string } };
      assert.equal(refresh.action.verb, 'tickets.view');
      assert.deepEqual(
        [...refresh.userIds].sort(),
        [`29:${priya.aadObjectId}`, `29:${theo.aadObjectId}`].sort(),
        'IT members in the team, nobody else',
      );

      const inChannel = {
        ...h.options,
        conversationType: 'channel' as const,
        conversationId: `${IT_CHANNEL};messageid=${post.id ?? '1'}`,
      };
      const auditBefore = (await h.app.parts.audit.all()).length;
      const auto = await h.post({
        ...build.execute(nora, 'tickets.view', { ticketId: id }, inChannel),
        value: {
          action: { type: 'Action.Execute', verb: 'tickets.view', data: { ticketId: id } },
          trigger: 'automatic',
        },
      });
      assert.equal(
        findAction(auto.body, 'tickets.assign'),
        undefined,
        'a refresh by someone outside IT stays read-only',
      );
      assert.equal(
        (await h.app.parts.audit.all()).length,
        auditBefore,
        'a refresh is not a refusal',
      );

      h.connector.clear();
      const forged = await h.post(
        build.execute(
          nora,
          'tickets.assign',
          { ticketId: id, v: (await ticket(id)).version },
          inChannel,
        ),
      );
      const text = cardText((forged.body as { value: unknown }).value);
      assert.match(text, /Only the IT team can act on tickets\. Nothing was changed/);
      assert.match(text, /Assigned to\nnobody yet/);
      await h.settle();
      assert.equal(
        h.connector.calls.filter((c) => c.method === 'PUT').length,
        0,
        'the shared card was not touched',
      );
      assert.equal((await ticket(id)).assignee, undefined);
    });
  });
});

function findAction(card: unknown, verb: string): { data: Record<string, unknown> } | undefined {
  let found: { data: Record<string, unknown> } | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && n.verb === verb)
      found = n as { data: Record<string, unknown> };
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

function findRichText(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'TextRun' && typeof n.text === 'string') out.push(n.text);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out;
}

describe('recovery in a real tenant', () => {
  let h: Harness;
  let priya: TestUser;
  const user = (upn: string): PracticeUser =>
    h.practice.users.find((x) => x.userPrincipalName.startsWith(`${upn}@`))!;
  const ticket = async (id: string) => (await h.app.parts.tickets.get(id))!.value;
  async function act(u: TestUser, verb: string, id: string, extra: Record<string, unknown> = {}) {
    return cardText(
      (await h.click(u, verb, { ticketId: id, v: (await ticket(id)).version, ...extra })).body
        .value,
    );
  }
  async function report(u: TestUser): Promise<string> {
    const res = await h.click(u, 'lostDevice.submit', INTAKE);
    return /request (MFA-\d{4})/.exec(cardText(res.body.value))![1]!;
  }

  beforeEach(async () => {
    h = await startHarness();
    priya = userOf(user('priya.raman'));
    await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
  });
  afterEach(() => h.close());

  it('makes another method the default, then removes a lost Authenticator that was the default', async () => {
    const hannah = user('hannah.ivers');
    const id = await report(userOf(hannah));
    const text = await act(priya, 'tickets.removeDevice', id, {
      deviceId: hannah.authenticatorDevices[0]!.id,
    });
    assert.match(text, /default sign-in method is now text message/);
    assert.match(text, /If that number was on the lost phone/);
    assert.equal((await h.app.parts.directory.authenticatorDevices(hannah.id)).length, 0);
    const actions = (await h.app.parts.audit.all())
      .filter((r) => r.outcome === 'success')
      .map((r) => r.action);
    assert.ok(
      actions.includes('graph.setDefaultMethod') && actions.includes('graph.removeAuthenticator'),
    );
  });

  it('gives IT the portal steps when no other method can be the default, and changes nothing', async () => {
    const olivia = user('olivia.brandt');
    await patchSimUser(h, olivia.id, {
      methodsRegistered: ['microsoftAuthenticatorPush', 'fido2SecurityKey'],
    });
    const device = (await h.app.parts.directory.authenticatorDevices(olivia.id))[0]!;
    const id = await report(userOf(olivia));
    const text = await act(priya, 'tickets.removeDevice', id, { deviceId: device.id });
    assert.match(text, /Require re-register multifactor authentication/);
    assert.equal((await h.app.parts.directory.authenticatorDevices(olivia.id)).length, 1);
    assert.equal((await ticket(id)).pending, undefined);
  });

  it('deletes a pass Graph marks unusable and tells IT what to change in the pass policy', async () => {
    const olivia = user('olivia.brandt');
    await call(h.sim, 'PATCH', '/_sim/tenant', {
      body: { tapPolicyGroups: [h.config.groups.it] },
      token: null,
    });
    const id = await report(userOf(olivia));
    await act(priya, 'tickets.verify', id, { method: 'callback' });
    const text = await act(priya, 'tickets.issuePass', id);
    assert.doesNotMatch(text, /Only you can see this/);
    assert.match(text, /can't be used \(DisabledByPolicy\)/);
    assert.match(text, /Temporary Access Pass policy does not include/);
    const passes = await call(
      h.sim,
      'GET',
      `/v1.0/users/${olivia.id}/authentication/temporaryAccessPassMethods`,
    );
    assert.equal((passes.json.value as unknown[]).length, 0, 'the unusable pass was deleted');
  });

  it('sends recovery notices to the mailbox, not the sign-in name, when they differ', async () => {
    const olivia = user('olivia.brandt');
    const mailbox = 'o.brandt@mail.riverbendfm.example';
    await patchSimUser(h, olivia.id, { mail: mailbox });
    await call(h.sim, 'DELETE', '/_sim/mail', { token: null });
    const id = await report(userOf(olivia));
    await act(priya, 'tickets.revokeSessions', id);
    await h.settle();
    const mail = await call(h.sim, 'GET', '/_sim/mail', { token: null });
    const sent = (mail.json.value as Array<{ to: string[] }>).flatMap((m) => m.to);
    assert.ok(sent.includes(mailbox), `mail went to ${sent.join(', ')}`);
  });
});

describe('what follows a pass', () => {
  it('is stored before the answer and retried on its own when Teams refuses it, without repeats', async () => {
    const clock = new ManualClock(new Date('2026-12-07T14:00:00Z'));
    const h = await startHarness({ clock });
    try {
      const user = (upn: string) =>
        userOf(h.practice.users.find((x) => x.userPrincipalName.startsWith(`${upn}@`))!);
      const priya = user('priya.raman');
      const olivia = user('olivia.brandt');
      await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
      await h.say(olivia, 'hi');
      const res = await h.click(olivia, 'lostDevice.submit', INTAKE);
      const id = /request (MFA-\d{4})/.exec(cardText(res.body.value))![1]!;
      const version = async () => (await h.app.parts.tickets.get(id))!.value.version;
      await h.click(priya, 'tickets.verify', {
        ticketId: id,
        v: await version(),
        method: 'callback',
      });
      await h.settle();
      // Teams refuses every post in the channel's threads for now.
      h.connector.rule = (c) =>
        c.conversationId.includes(';messageid=') && c.method === 'POST'
          ? { status: 403 }
          : undefined;
      const issued = await h.click(priya, 'tickets.issuePass', {
        ticketId: id,
        v: await version(),
      });
      assert.match(
        cardText(issued.body.value),
        /Only you can see this/,
        'the issuer has the pass whatever happens next',
      );
      await h.settle();
      const announcements = () =>
        h.connector
          .activities()
          .filter((a) => /issued a one-time Temporary Access Pass/.test(String(a.text ?? '')));
      assert.equal(announcements().length, 0);
      const toOlivia = () =>
        h.connector
          .activities(`a:personal-${olivia.aadObjectId}`)
          .filter((a) => /one-time pass/.test(cardText(cardOf(a))));
      assert.equal(toOlivia().length, 1, 'the requester was told once');
      h.connector.rule = undefined;
      clock.advance(31_000);
      await h.app.parts.scheduler.runDue();
      await h.settle();
      assert.equal(
        announcements().length,
        1,
        'the thread hears about the pass once Teams takes it',
      );
      assert.equal(toOlivia().length, 1, 'and the requester is not told twice');
    } finally {
      await h.close();
    }
  });
});
