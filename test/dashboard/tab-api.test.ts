import assert from 'node:assert/strict';
import { SNAPSHOT_JOB } from '../../services/dashboard/snapshots';
import { byUpn, patchUser, startCampaignHarness, type CampaignHarness } from '../campaigns/harness';
import { userOfChat } from '../helpers/rate-limited-connector';
import { counted, expectedCoverage, standingOf as standing } from '../helpers/practice-coverage';

/**
 * The dashboard tab's API in the local demo: the labelled demo sign-in, the numbers it shows
 * (checked against the Graph stand-in's practice, counted here independently), the list, the CSV,
 * the daily snapshots and starting a nudge for ticked people with the bot's rules.
 */

const DIANE = 'diane.whitaker@riverbendfm.example';
const NORA = 'nora.nguyen@riverbendfm.example';
const AUTHENTICATOR = 'microsoftAuthenticatorPush';

type Json = Record<string, unknown>;

describe('dashboard tab API in the local demo', function () {
  this.timeout(60_000);
  let h: CampaignHarness;
  const api = async (
    path: string,
    init: { method?: string; body?: unknown; authorization?: string | null; type?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (init.authorization !== null) headers.authorization = init.authorization ?? 'Demo';
    if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
    const res = await fetch(`${h.server.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      headers: res.headers,
      json: <T = Json>() => JSON.parse(text) as T,
    };
  };

  beforeEach(async () => {
    h = await startCampaignHarness({ env: { DEMO_USER: DIANE } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('signs in as DEMO_USER with the demo sign-in, and says it is the demo', async () => {
    const me = await api('/api/tab/me');
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.json(), {
      name: 'Diane Whitaker',
      upn: DIANE,
      role: 'admin',
      canNudge: true,
      demo: true,
      confirmThreshold: h.config.nudgeConfirmThreshold,
    });
    assert.equal((await api('/api/tab/me', { authorization: null })).status, 401);
    assert.equal(
      (await api('/api/tab/me', { authorization: 'Bearer a.b.c' })).status,
      401,
      'no Entra tokens in the demo',
    );
  });

  it('refuses a DEMO_USER who is neither an admin nor in IT', async () => {
    await h.close();
    h = await startCampaignHarness({ env: { DEMO_USER: NORA } });
    const me = await api('/api/tab/me');
    assert.equal(me.status, 403);
    assert.deepEqual(Object.keys(me.json()), ['error']);
  });

  it("shows each role group's coverage as the Graph stand-in has it", async () => {
    const res = await api('/api/tab/coverage');
    assert.equal(res.status, 200);
    const coverage = res.json<{
      overall: Json;
      byRole: Json[];
      guests: number;
      excluded: number;
    }>();
    const [everyone, ...roles] = expectedCoverage(h.practice, h.config.groups.roles);
    assert.deepEqual(coverage.overall, everyone);
    assert.deepEqual(coverage.byRole, roles);
    assert.equal(
      coverage.guests,
      h.practice.users.filter((u) => u.accountEnabled && u.userType === 'Guest').length,
    );
  });

  it('lists the people not on Authenticator: search, group, standing and pages', async () => {
    const all = (await api('/api/tab/people?pageSize=100')).json<{
      total: number;
      people: Array<{ upn: string; standing: string; groups: string[] }>;
    }>();
    const expected = h.practice.users.filter((u) => counted(u) && standing(u) !== 'authenticator');
    assert.equal(all.total, expected.length);
    assert.deepEqual(
      all.people.map((p) => p.upn).sort(),
      expected.map((u) => u.userPrincipalName).sort(),
    );
    const nursingNone = (await api('/api/tab/people?group=Nursing&standing=none')).json<{
      people: Array<{ groups: string[]; standing: string }>;
    }>();
    assert.ok(nursingNone.people.length > 0);
    assert.ok(
      nursingNone.people.every((p) => p.groups.includes('Nursing') && p.standing === 'none'),
    );
    const search = (await api('/api/tab/people?search=NORA%20nguyen')).json<{
      people: Array<{ upn: string }>;
    }>();
    assert.deepEqual(
      search.people.map((p) => p.upn),
      [NORA],
    );
    const page = (await api('/api/tab/people?pageSize=10&page=1')).json<{
      page: number;
      pages: number;
      people: Array<{ upn: string }>;
    }>();
    assert.equal(page.page, 1);
    assert.equal(page.pages, Math.ceil(expected.length / 10));
    assert.deepEqual(
      page.people.map((p) => p.upn),
      all.people.slice(10, 20).map((p) => p.upn),
    );
    assert.equal((await api('/api/tab/people?pageSize=5000')).status, 400);
  });

  it('downloads the list as CSV, with names a spreadsheet would run as formulas made harmless', async () => {
    await patchUser(h.sim, NORA, { displayName: '=HYPERLINK("http://evil.example","Nora")' });
    await api('/api/tab/coverage/refresh', { body: {} });
    const res = await api('/api/tab/people.csv');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /attachment; filename="not-on-authenticator-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = res.text.trim().split('\r\n');
    assert.equal(lines[0], 'name,upn,role_groups,standing,as_of');
    const expected = h.practice.users.filter((u) => counted(u) && standing(u) !== 'authenticator');
    assert.equal(lines.length - 1, expected.length);
    const nora = lines.find((l) => l.includes(NORA))!;
    assert.ok(nora.startsWith(`"'=HYPERLINK(`), nora);
  });

  it('keeps a daily snapshot for the trend', async () => {
    const before = (await api('/api/tab/trend?days=30')).json<{ points: unknown[] }>();
    assert.equal(before.points.length, 0);
    await h.app.parts.scheduler.schedule(SNAPSHOT_JOB, new Date(), {});
    await h.app.parts.scheduler.runDue();
    const trend = (await api('/api/tab/trend?days=30')).json<{
      points: Array<Json>;
      markers: unknown[];
    }>();
    const coverage = (await api('/api/tab/coverage')).json<{ overall: Json }>();
    assert.equal(trend.points.length, 1);
    const { date, ...counts } = trend.points[0]!;
    assert.equal(date, new Date().toISOString().slice(0, 10));
    const { name: _name, ...overall } = coverage.overall;
    assert.deepEqual(counts, overall);
    assert.deepEqual(
      await h.app.parts.scheduler.pending(SNAPSHOT_JOB).then((jobs) => jobs.length),
      1,
      'the next one is scheduled',
    );
  });

  it('counts open IT requests by age, without names', async () => {
    const nora = byUpn(h.practice, NORA);
    await h.app.parts.tickets.create({
      kind: 'lost-device',
      requester: { id: nora.id, name: nora.displayName },
      details: {},
    });
    const res = await api('/api/tab/tickets');
    const tickets = res.json<{
      open: number;
      oldestMinutes: number;
      byAge: Array<{ count: number }>;
    }>();
    assert.equal(tickets.open, 1);
    assert.equal(tickets.oldestMinutes, 0);
    assert.equal(tickets.byAge[0]!.count, 1);
    assert.doesNotMatch(res.text, /Nora|Nguyen/);
  });

  describe('nudging ticked people', () => {
    const ids = (...upns: string[]) => upns.map((u) => byUpn(h.practice, u).id);
    const TICKED = ['fiona.gallagher@riverbendfm.example', 'peter.lund@riverbendfm.example'];

    it('previews exactly the people ticked, then sends to them and nobody else', async () => {
      await h.seedChats([byUpn(h.practice, DIANE).id, ...ids(...TICKED)]);
      const preview = await api('/api/tab/nudge/preview', {
        body: { people: ids(...TICKED), kind: 'friendly' },
      });
      assert.equal(preview.status, 200, preview.text);
      const p = preview.json<{
        kind: string;
        draftId: string;
        recipients: number;
        names: string[];
        message: { title: string };
        confirmTwice: boolean;
      }>();
      assert.equal(p.kind, 'preview');
      assert.equal(p.recipients, 2);
      assert.deepEqual(p.names.sort(), ['Fiona Gallagher', 'Peter Lund']);
      assert.equal(p.message.title, "Let's set up Microsoft Authenticator");
      assert.equal(p.confirmTwice, false);
      // The draft names the ticked people, not everyone else in their groups to leave out.
      const draft = await h.app.parts.campaigns.draft(p.draftId, {
        id: byUpn(h.practice, DIANE).id,
        name: 'Diane Whitaker',
      });
      assert.ok(typeof draft !== 'string');
      assert.deepEqual(draft.spec.only?.sort(), ids(...TICKED).sort());
      assert.deepEqual(draft.spec.exclude, []);
      assert.deepEqual(draft.spec.groups, []);
      const confirm = await api('/api/tab/nudge/confirm', { body: { draftId: p.draftId } });
      const launched = confirm.json<{ kind: string; campaignId: string; recipients: number }>();
      assert.equal(launched.kind, 'launched');
      assert.equal(launched.recipients, 2);
      await h.settled(launched.campaignId);
      const reached = h.connector.accepted
        .filter((a) => a.kind === 'send' && a.tag?.startsWith(launched.campaignId))
        .map((a) => userOfChat(a.conversationId));
      assert.deepEqual(reached.sort(), ids(...TICKED).sort());
      const campaigns = (await api('/api/tab/campaigns')).json<
        Array<{ id: string; sent: number; recipients: number }>
      >();
      assert.equal(campaigns[0]!.id, launched.campaignId);
      assert.equal(campaigns[0]!.sent, 2);
      const trend = (await api('/api/tab/trend')).json<{
        markers: Array<{ campaignId?: string; date: string }>;
      }>();
      assert.deepEqual(
        trend.markers.map((m) => m.campaignId),
        [launched.campaignId],
        'the trend marks the day it started',
      );
      const again = await api('/api/tab/nudge/confirm', { body: { draftId: p.draftId } });
      assert.equal(again.json().kind, 'already', 'a second click sends nothing more');
    });

    it('leaves out people who registered since they were listed', async () => {
      await api('/api/tab/coverage');
      await patchUser(h.sim, TICKED[0]!, { methodsRegistered: [AUTHENTICATOR] });
      const p = (
        await api('/api/tab/nudge/preview', { body: { people: ids(...TICKED), kind: 'friendly' } })
      ).json<{ recipients: number; notNeeded: number; names: string[] }>();
      assert.equal(p.recipients, 1);
      assert.equal(p.notNeeded, 1);
      assert.deepEqual(p.names, ['Peter Lund']);
    });

    it("applies the bot's rules: a note with a code is refused and not echoed", async () => {
      const res = await api('/api/tab/nudge/preview', {
        body: { people: ids(...TICKED), kind: 'friendly', note: 'Use code 483920 to sign in' },
      });
      const p = res.json<{ kind: string; problems: string[] }>();
      assert.equal(p.kind, 'problems');
      assert.match(p.problems.join(' '), /looks like a sign-in code/);
      assert.doesNotMatch(res.text, /483920/);
      const deadline = (
        await api('/api/tab/nudge/preview', { body: { people: ids(...TICKED), kind: 'deadline' } })
      ).json<{ problems: string[] }>();
      assert.match(deadline.problems.join(' '), /A deadline reminder needs a date/);
      assert.equal(await h.app.parts.store.count('campaign-drafts'), 0, 'nothing stored');
    });

    it('asks twice above the confirmation threshold', async () => {
      await h.close();
      h = await startCampaignHarness({ env: { DEMO_USER: DIANE, NUDGE_CONFIRM_THRESHOLD: '1' } });
      await h.seedChats([byUpn(h.practice, DIANE).id, ...ids(...TICKED)]);
      const p = (
        await api('/api/tab/nudge/preview', { body: { people: ids(...TICKED), kind: 'friendly' } })
      ).json<{ draftId: string; confirmTwice: boolean }>();
      assert.equal(p.confirmTwice, true);
      assert.equal(
        (await api('/api/tab/nudge/confirm', { body: { draftId: p.draftId, final: true } })).json()
          .kind,
        'confirm-again',
        'a forged "final" cannot skip the first',
      );
      assert.equal(
        (await api('/api/tab/nudge/confirm', { body: { draftId: p.draftId, final: true } })).json()
          .kind,
        'launched',
      );
    });

    it('says the bot needs a chat with the admin first, and sends nothing', async () => {
      const p = (
        await api('/api/tab/nudge/preview', { body: { people: ids(...TICKED), kind: 'friendly' } })
      ).json<{ draftId: string }>();
      assert.equal(
        (await api('/api/tab/nudge/confirm', { body: { draftId: p.draftId } })).json().kind,
        'no-chat',
      );
      assert.deepEqual(await h.app.parts.campaigns.store.recent(5), []);
    });

    it('refuses bodies that are not JSON, or not a selection', async () => {
      assert.equal(
        (
          await api('/api/tab/nudge/preview', {
            body: { people: ids(...TICKED), kind: 'friendly' },
            type: 'text/plain',
          })
        ).status,
        415,
      );
      assert.equal(
        (await api('/api/tab/nudge/preview', { body: { people: ['not-an-id'], kind: 'friendly' } }))
          .status,
        400,
      );
      assert.equal(
        (await api('/api/tab/nudge/confirm', { body: { draftId: 'NUDGE-0001' } })).status,
        400,
      );
    });
  });
});
