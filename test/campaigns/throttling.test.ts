import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FINAL_STATES } from '../../services/campaigns/model';
import { CAMPAIGN_GRAPH_READS, CAMPAIGN_INSTALLS } from '../../services/campaigns/service';
import { STANDARD_GROUP_IDS } from '../../services/directory/standard-groups';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import { botAddedToTeam } from '../helpers/activities';
import { cardText } from '../helpers/harness';
import { userOfChat } from '../helpers/rate-limited-connector';
import { call } from '../graph-sim/helpers';
import { campaignPractice } from './fixtures';
import { FAST, startCampaignHarness, testUser, type CampaignHarness } from './harness';

const INTAKE = { happened: 'stolen', when: 'today', hadWorkApps: 'yes', verifyBy: 'callback' };

interface LimitStats {
  reports: { accepted: number; throttled: number };
  teams: { accepted: number; throttled: number };
}

async function limitStats(sim: GraphSim): Promise<LimitStats> {
  return (await call(sim, 'GET', '/_sim/limits', { token: null })).json
    .stats as unknown as LimitStats;
}

/**
 * The Graph stand-in enforces Microsoft's documented limits: 5 requests per 10 seconds on the
 * identity and access reports service (the registration report and every person's method list,
 * Temporary Access Passes included) and 30 a second on Teams' installedApps. A campaign runs
 * with the bot's own shares of those limits while IT issues a pass on a lost-phone ticket.
 */
describe("campaigns under Graph's documented limits", function () {
  this.timeout(120_000);
  const N = 300;
  const { practice, recipients, admin } = campaignPractice(N, 41);
  const it1 = practice.users.find(
    (u) =>
      u.memberOf.includes(STANDARD_GROUP_IDS.itSupport) &&
      u.accountEnabled &&
      u.userType === 'Member',
  )!;
  const requester = practice.users.find(
    (u) =>
      u.authenticatorDevices.length > 0 &&
      u.accountEnabled &&
      u.userType === 'Member' &&
      !u.isAdmin &&
      u !== it1 &&
      !u.memberOf.includes(STANDARD_GROUP_IDS.itSupport) &&
      !u.memberOf.includes(STANDARD_GROUP_IDS.practiceAdmins),
  )!;
  let sim: GraphSim;
  let h: CampaignHarness;

  beforeEach(async () => {
    sim = await startGraphSim({ port: 0, practice, pageSize: 500 });
  });
  afterEach(async () => {
    await h?.close();
    await sim.close();
  });

  async function run(graphReads: { requests: number; perMs: number }) {
    h = await startCampaignHarness({
      practice,
      sim,
      env: { NUDGE_CONFIRM_THRESHOLD: '100000' },
      tuning: { ...FAST, maxRps: 30, concurrency: 64, graphReads, installs: CAMPAIGN_INSTALLS },
    });
    await h.seedChats(recipients.filter((_, i) => i % 10 < 8).map((u) => u.id));
    const itUser = testUser(it1);
    assert.equal(
      (await h.post(botAddedToTeam(itUser, STANDARD_GROUP_IDS.itSupport, h.options))).status,
      200,
    );
    // A lost phone reported and checked before the campaign: IT's pass comes mid-campaign.
    const submitted = cardText(
      (await h.click(testUser(requester), 'lostDevice.submit', INTAKE)).body.value,
    );
    const ticketId = /request (MFA-\d{4})/.exec(submitted)![1]!;
    const act = async (verb: string, extra: Record<string, unknown> = {}) => {
      const v = (await h.app.parts.tickets.get(ticketId))!.value.version;
      return cardText((await h.click(itUser, verb, { ticketId, v, ...extra })).body.value);
    };
    await act('tickets.assign');
    await act('tickets.verify', { method: 'callback', note: 'called the number on file' });

    // From here on the stand-in counts and refuses as Graph would.
    await call(sim, 'POST', '/_sim/limits', { body: { documented: true }, token: null });
    const preview = await h.click(testUser(admin), 'admin.nudgePreview', {
      audience: 'no-authenticator',
      kind: 'friendly',
    });
    const draftId = (preview.body.value.actions as Array<{ data?: { draftId?: string } }>)[0]!.data!
      .draftId!;
    await h.click(testUser(admin), 'admin.nudgeConfirm', { draftId }, { replyToId: 'progress' });
    const sent = () => h.connector.accepted.filter((a) => a.kind === 'send' && a.tag).length;
    for (let waited = 0; sent() < N / 3; waited += 20) {
      if (waited > 60_000) throw new Error('the campaign never got going');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const pass = await act('tickets.issuePass');
    const midway = sent() < N;
    const campaign = await h.settled('NUDGE-0001', 90_000);
    return { pass, campaign, midway };
  }

  it('finishes without one refused Graph call, and IT issues a pass in the middle of it', async () => {
    const { pass, midway } = await run(CAMPAIGN_GRAPH_READS);
    assert.ok(midway, 'the pass was issued while nudges were still going out');
    assert.match(pass, /Temporary Access Pass for/);
    const stats = await limitStats(sim);
    assert.deepEqual(
      [stats.reports.throttled, stats.teams.throttled],
      [0, 0],
      'no 429 from the reports or Teams service',
    );

    const counts = await h.app.parts.campaigns.store.counts('NUDGE-0001');
    assert.equal(
      FINAL_STATES.reduce((sum, s) => sum + counts[s], 0),
      N,
      'every row is final',
    );
    assert.equal(counts.sent, N);
    const rows = await h.app.parts.campaigns.store.rows('NUDGE-0001');
    const live = rows.filter((r) => r.checkedBy === 'live').length;
    assert.ok(
      live >= 1 && live < N / 10,
      `${live} checked live right before their nudge, the rest by the registration report`,
    );
    const duplicates = [...h.connector.nudgeCounts().values()].filter((n) => n > 1).length;
    assert.equal(duplicates, 0);
  });
});

/** A stall longer than this lets a second's worth of arrivals bunch up past the headroom. */
const STALL_MS = 100;

/**
 * Teams limits the bot's sends per second, all conversations together. Nudges and everything
 * else the bot sends on its own (ticket posts, notices to staff) share one budget, in which the
 * notices go first: a campaign at full speed does not push them over the limit or hold them up.
 */
describe('one send budget for nudges and notices', function () {
  this.timeout(120_000);
  const N = 600;
  const { practice, recipients, admin } = campaignPractice(N, 43);
  const others = practice.users
    .filter(
      (u) => u.accountEnabled && u.userType === 'Member' && !recipients.includes(u) && u !== admin,
    )
    .slice(0, 10);
  let h: CampaignHarness;
  afterEach(async () => {
    await h.close();
  });

  it('sends notices during a campaign at the limit without one refused for the limit', async () => {
    // The stand-in stamps requests as it reads them, in this process. When the machine is short
    // of CPU the whole process stops for a while, and requests the bot spaced over more than a
    // second are read in less: refusals then measure the machine, not the budget (which
    // send-budget.test.ts checks exactly, on its own clock). So the strict count applies only
    // when the process was never held up for long; the rest must hold always.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    h = await startCampaignHarness({
      practice,
      env: { NUDGE_CONFIRM_THRESHOLD: '100000' },
      connectorOptions: { globalPerSecond: 50 },
      tuning: { ...FAST, maxRps: 45, concurrency: 64 },
    });
    await h.seedChats([...recipients, ...others].map((u) => u.id));
    const preview = await h.click(testUser(admin), 'admin.nudgePreview', {
      audience: 'no-authenticator',
      kind: 'friendly',
    });
    const draftId = (preview.body.value.actions as Array<{ data?: { draftId?: string } }>)[0]!.data!
      .draftId!;
    stalls.enable();
    await h.click(testUser(admin), 'admin.nudgeConfirm', { draftId }, { replyToId: 'progress' });
    const sent = () => h.connector.accepted.filter((a) => a.kind === 'send' && a.tag).length;
    for (let waited = 0; sent() < 100; waited += 20) {
      if (waited > 60_000) throw new Error('the campaign never got going');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Ten requesters told about their tickets at once, while nudges go out at full speed.
    await Promise.all(
      others.map((u) =>
        h.app.parts.proactive.toUser(u.id, { text: 'IT has your request and will call you back.' }),
      ),
    );
    assert.ok(sent() < N, 'the notices went out while the campaign was sending');
    await h.settled('NUDGE-0001', 90_000);
    stalls.disable();

    const longestStallMs = stalls.max / 1e6;
    const refused = h.connector.stats.overGlobal;
    if (longestStallMs < STALL_MS) {
      assert.equal(refused, 0, 'nothing was refused for the per-app limit');
    } else {
      assert.ok(
        refused <= N * 0.15,
        `${refused} refused for the per-app limit after stalls up to ${Math.round(longestStallMs)} ms`,
      );
    }
    const notices = h.connector.accepted.filter(
      (a) =>
        a.kind === 'send' && !a.tag && others.some((u) => userOfChat(a.conversationId) === u.id),
    );
    assert.equal(notices.length, others.length, 'every notice was delivered once');
    assert.equal((await h.app.parts.campaigns.store.counts('NUDGE-0001')).sent, N);
  });
});
