import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCampaignCommand } from '../../services/campaigns/cli';
import { DAY, ManualClock } from '../../services/clock';
import { cardOf, cardText } from '../helpers/harness';
import { userOfChat } from '../helpers/rate-limited-connector';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import { call, demoPractice } from '../graph-sim/helpers';
import {
  byUpn,
  FAST,
  patchUser,
  startCampaignHarness,
  testUser,
  type CampaignHarness,
  type CampaignHarnessOptions,
} from './harness';

const DIANE = 'diane.whitaker@riverbendfm.example';
const NORA = 'nora.nguyen@riverbendfm.example';
const KWAME = 'kwame.mensah@riverbendfm.example';
const id = 'NUDGE-0001';

/**
 * Microsoft's registration report lags behind by hours (the stand-in freezes it to show that).
 * Campaigns decide who to nudge from it, check each person live right before their nudge when
 * their share of Graph's limit allows, and say how fresh the report was.
 */
describe('campaigns and a registration report that lags', () => {
  let h: CampaignHarness;
  let ownSim: GraphSim | undefined;
  afterEach(async () => {
    await h.close();
    await ownSim?.close();
    ownSim = undefined;
  });

  const freezeReport = (frozen: boolean) =>
    call(h.sim, 'PATCH', '/_sim/report', { body: { frozen }, token: null });

  async function preview(): Promise<string> {
    const diane = testUser(byUpn(h.practice, DIANE));
    const card = (
      await h.click(diane, 'admin.nudgePreview', {
        audience: 'no-mfa',
        groups: 'Nursing',
        kind: 'friendly',
        everyDays: '2',
        maxTimes: '1',
      })
    ).body.value;
    assert.match(cardText(card), /This goes to 4 people/);
    assert.match(
      cardText(card),
      /Chosen from Microsoft's registration report \(newest change [A-Z][a-z]{2} \d+, \d{1,2}:\d\d [AP]M UTC\); each person is checked live again just before their nudge/,
    );
    return (card.actions as Array<{ data?: { draftId?: string } }>)[0]!.data!.draftId!;
  }

  async function confirm(draftId: string): Promise<void> {
    await h.click(
      testUser(byUpn(h.practice, DIANE)),
      'admin.nudgeConfirm',
      { draftId },
      { replyToId: 'progress-card' },
    );
    await h.settled(id);
  }

  const row = async (upn: string) =>
    (await h.app.parts.campaigns.store.row(id, byUpn(h.practice, upn).id))!.value;
  const nudged = (upn: string) =>
    h.connector.accepted.filter(
      (a) =>
        a.kind === 'send' && a.tag && userOfChat(a.conversationId) === byUpn(h.practice, upn).id,
    ).length;

  async function start(options: CampaignHarnessOptions = {}): Promise<void> {
    h = await startCampaignHarness({ connectorOptions: { keepBodies: true }, ...options });
  }

  it('skips someone the report still shows unregistered when a live check just before the nudge finds Authenticator', async () => {
    await start();
    await freezeReport(true);
    await patchUser(h.sim, NORA, { methodsRegistered: ['microsoftAuthenticatorPush'] });
    await confirm(await preview());
    const nora = await row(NORA);
    assert.deepEqual(
      [nora.state, nora.reason, nora.checkedBy],
      ['skipped', 'registered (checked live)', 'live'],
    );
    assert.equal(nudged(NORA), 0, 'no nudge reached her');
    assert.equal((await h.app.parts.campaigns.store.counts(id)).sent, 3);
  });

  it('sends a nudge when a live check finds no Authenticator, though the report still shows one', async () => {
    await start();
    const draftId = await preview();
    // Kwame registers, the report catches up, then IT removes his lost Authenticator.
    await patchUser(h.sim, KWAME, { methodsRegistered: ['microsoftAuthenticatorPush'] });
    await freezeReport(true);
    await patchUser(h.sim, KWAME, { methodsRegistered: [] });
    await confirm(draftId);
    const kwame = await row(KWAME);
    assert.deepEqual([kwame.state, kwame.checkedBy], ['sent', 'live']);
    assert.equal(nudged(KWAME), 1);
  });

  it('goes by the report when no live check is free, and the export says which', async () => {
    // One report read in a long window: the preview takes it, no live check is left.
    await start({ tuning: { ...FAST, graphReads: { requests: 1, perMs: 3_600_000 } } });
    await freezeReport(true);
    await patchUser(h.sim, NORA, { methodsRegistered: ['microsoftAuthenticatorPush'] });
    await confirm(await preview());
    const nora = await row(NORA);
    assert.deepEqual(
      [nora.state, nora.checkedBy],
      ['sent', 'report'],
      'registered after the report was updated: nudged all the same',
    );
    assert.equal(nudged(NORA), 1);
    const file = path.join(h.dataDir, 'export.csv');
    const quiet = () => new Writable({ write: (_chunk, _enc, done) => done() });
    assert.equal(
      await runCampaignCommand(['export', id, '--out', file], h.dataDir, {
        stdout: quiet(),
        stderr: quiet(),
      }),
      0,
    );
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    assert.equal(lines[0]!.split(',').at(-1), 'checked');
    assert.ok(
      lines.slice(1).every((l) => l.endsWith(',report')),
      'every row was decided by the report',
    );
  });

  it('says how fresh the report is on the coverage card and in the 7-day count', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    // The stand-in stamps changes with the same clock.
    ownSim = await startGraphSim({ port: 0, practice: demoPractice(), pageSize: 500, clock });
    await start({ clock, sim: ownSim });
    await patchUser(h.sim, 'olivia.brandt@riverbendfm.example', {
      methodsRegistered: ['microsoftAuthenticatorPush', 'mobilePhone'],
    });
    const diane = testUser(byUpn(h.practice, DIANE));
    const status = cardText((await h.click(diane, 'admin.status', { refresh: true })).body.value);
    assert.match(
      status,
      /From Microsoft's registration report, which can be a few hours behind: the newest change it shows is from Mar 2, 9:00 AM UTC \(just now\)/,
    );

    await confirm(await preview());
    clock.advance(DAY);
    await patchUser(h.sim, KWAME, { methodsRegistered: ['microsoftAuthenticatorPush'] });
    clock.advance(6 * DAY);
    await h.app.parts.scheduler.runDue();
    const updates = h.connector.accepted.filter(
      (a) => a.kind === 'update' && a.activityId === 'progress-card',
    );
    const report = cardText(cardOf(updates.at(-1)!.body!));
    assert.match(
      report,
      /Registered since the nudge: 1 of 4 \(25%\) within 7 days\. Microsoft's registration report showed changes up to Mar 3, 9:00 AM UTC; anyone registered after that is not counted yet\./,
    );
  });
});
