import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { DEMO_TEAMS_APP } from '../../services/graph-sim';
import { createLogger } from '../../services/logger';
import { cardOf, cardText } from '../helpers/harness';
import { call } from '../graph-sim/helpers';
import {
  byUpn,
  startCampaignHarness,
  testUser,
  type CampaignHarness,
  type CampaignHarnessOptions,
} from './harness';

const DIANE = 'diane.whitaker@riverbendfm.example';
const NURSES = ['nora.nguyen', 'kwame.mensah', 'peter.lund', 'fiona.gallagher'].map(
  (n) => `${n}@riverbendfm.example`,
);
const id = 'NUDGE-0001';

/**
 * Nobody in the Nursing audience has talked to the bot: each nudge installs the app for them
 * (Graph's teamwork/installedApps, naming the app's catalog id) and goes to the chat Graph gives.
 */
describe('installing the bot for people before a nudge', () => {
  let h: CampaignHarness;
  const logLines: string[] = [];
  afterEach(async () => {
    await h.close();
    logLines.length = 0;
  });

  async function start(options: CampaignHarnessOptions = {}): Promise<void> {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    h = await startCampaignHarness({
      connectorOptions: { keepBodies: true },
      logger: createLogger('info', sink),
      ...options,
    });
  }

  async function launch(): Promise<void> {
    const diane = testUser(byUpn(h.practice, DIANE));
    const preview = (
      await h.click(diane, 'admin.nudgePreview', {
        audience: 'no-mfa',
        groups: 'Nursing',
        kind: 'friendly',
      })
    ).body.value;
    const draftId = (preview.actions as Array<{ data?: { draftId?: string } }>)[0]!.data!.draftId!;
    await h.click(diane, 'admin.nudgeConfirm', { draftId }, { replyToId: 'progress-card' });
    await h.settled(id);
  }

  it('finds the catalog id from the manifest id, waits while Teams settles each install, and sends through the chat Graph gives', async () => {
    await start();
    // A new installation is missing from the first list, and its chat answers 403 once.
    await call(h.sim, 'PATCH', '/_sim/teamwork', {
      body: { unlistedReads: 1, forbiddenChatReads: 1 },
      token: null,
    });
    await launch();
    for (const upn of NURSES) {
      const user = byUpn(h.practice, upn);
      const row = (await h.app.parts.campaigns.store.row(id, user.id))!.value;
      assert.equal(row.state, 'sent', `${upn}: ${row.state} (${row.reason ?? ''})`);
      assert.equal(row.totalAttempts, 3, 'not listed yet, then its chat refused, then sent');
      const record = await call(h.sim, 'GET', `/_sim/users/${user.id}`, { token: null });
      const [installed] = record.json.installedApps as Array<{
        teamsAppId: string;
        chatId: string;
      }>;
      assert.equal(
        installed!.teamsAppId,
        DEMO_TEAMS_APP.id,
        'installed by its catalog id, not its manifest id',
      );
      const sends = h.connector.accepted.filter(
        (a) => a.kind === 'send' && a.tag === `${id}:1` && a.conversationId === installed!.chatId,
      );
      assert.equal(sends.length, 1, 'the nudge went to the chat Graph gave');
      assert.equal(
        (await h.app.parts.conversations.user(user.id))?.conversation?.id,
        installed!.chatId,
        'and that chat is saved for next time',
      );
    }
    const lookups = h.sim.requests.matching('/v1.0/appCatalogs/teamsApps');
    assert.equal(lookups.length, 1, 'the catalog is asked once');
    assert.match(
      decodeURIComponent(lookups[0]!.query),
      new RegExp(`externalId eq '${DEMO_TEAMS_APP.externalId}'`),
    );
  });

  it('says at start, and on the campaign, that a manifest id was given as the catalog id, instead of "not in Microsoft 365" per person', async () => {
    await start({ env: { TEAMS_APP_CATALOG_ID: DEMO_TEAMS_APP.externalId! } });
    h.app.start();
    for (let waited = 0; !logLines.some((l) => l.includes('Configuration:')); waited += 20) {
      if (waited > 10_000) throw new Error('nothing said at start');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const said = JSON.parse(logLines.find((l) => l.includes('Configuration:'))!) as {
      level: number;
      msg: string;
    };
    assert.equal(said.level, 50, 'an error');
    assert.match(
      said.msg,
      new RegExp(
        `TEAMS_APP_CATALOG_ID ${DEMO_TEAMS_APP.externalId} is the app's manifest id; its id in the Teams app catalog is ${DEMO_TEAMS_APP.id}`,
      ),
    );

    await launch();
    const rows = await h.app.parts.campaigns.store.rows(id);
    assert.deepEqual([...new Set(rows.map((r) => r.state))], ['failed']);
    for (const r of rows)
      assert.match(
        r.reason ?? '',
        /can't be installed for them: TEAMS_APP_CATALOG_ID .* is the app's manifest id/,
      );
    assert.equal(
      h.sim.requests.matching('/v1.0/users/').filter((r) => r.path.includes('/teamwork/')).length,
      0,
      'no install was tried',
    );
    const updates = h.connector.accepted.filter(
      (a) => a.kind === 'update' && a.activityId === 'progress-card',
    );
    assert.match(
      cardText(cardOf(updates.at(-1)!.body!)),
      /No chat with the bot, and it can't be installed for them: TEAMS_APP_CATALOG_ID .* \(4 people\)/,
    );
  });
});
