import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CampaignStore } from '../../services/campaigns/store';
import { systemClock } from '../../services/clock';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import { AzureStore } from '../../services/storage/azure/store';
import { ConversationDirectory } from '../../services/storage/conversations';
import { Leases } from '../../services/storage/lease';
import * as build from '../helpers/activities';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { BotProcess } from '../helpers/bot-process';
import { campaignPractice } from '../campaigns/fixtures';
import { postActivity } from '../helpers/harness';
import { chatIdFor, RateLimitedConnector, userOfChat } from '../helpers/rate-limited-connector';

const PREFIX = 'scalenudge';
const RECIPIENTS = 2000;
/**
 * Teams' rate for the app, enforced by the connector; the bots are configured with the same.
 * Below Teams' 50 so that Azurite, on the same small machine, keeps up with the sender.
 */
const LIMIT = 20;
const CAMPAIGN = 'NUDGE-0001';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A campaign sent by two bot processes on one Azure storage account (Azurite), through one
 * connector that enforces Teams' limits, when the instance sending is killed with -9 midway.
 */
describe('scale: a campaign across two processes, one killed midway', function () {
  this.timeout(900_000);
  const { practice, recipients, admin } = campaignPractice(RECIPIENTS, 5);
  let dir: string;
  let azurite: RunningAzurite;
  let sim: GraphSim;
  let connector: RateLimitedConnector;
  let bots: BotProcess[] = [];
  let store: AzureStore;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-scale-nudge-'));
    azurite = await startAzurite();
    sim = await startGraphSim({ port: 0, practice, pageSize: 999 });
    const caPath = path.join(dir, 'graph-ca.pem');
    fs.writeFileSync(caPath, sim.caPem);
    connector = await new RateLimitedConnector({ globalPerSecond: LIMIT, seed: 4 }).start();
    store = new AzureStore({
      connection: { connectionString: azurite.connectionString },
      prefix: PREFIX,
    });
    const env = (name: string) => ({
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_PREFIX: PREFIX,
      DATA_DIR: path.join(dir, name),
      GRAPH_BASE_URL: sim.baseUrl,
      GRAPH_CA_CERT_PATH: caPath,
      NUDGE_MAX_RPS: String(LIMIT),
      NUDGE_CONFIRM_THRESHOLD: String(RECIPIENTS + 1),
    });
    bots = await Promise.all([BotProcess.launch(env('a')), BotProcess.launch(env('b'))]);
    // Everyone talked to the bot before: each nudge is one send to a saved chat.
    const conversations = new ConversationDirectory(store);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < recipients.length) {
          const u = recipients[next++]!;
          await conversations.saveUser(u.id, {
            channelId: 'msteams',
            serviceUrl: connector.url,
            conversation: {
              id: chatIdFor(u.id),
              conversationType: 'personal',
              isGroup: false,
              tenantId: practice.tenantId,
              name: '',
            },
            user: { id: `29:${u.id}`, name: '', aadObjectId: u.id },
            bot: build.BOT,
          });
        }
      }),
    );
  });

  after(async () => {
    for (const bot of bots) await bot.kill();
    await connector?.stop();
    await sim?.close();
    await azurite?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const click = (bot: BotProcess, verb: string, data: unknown) =>
    postActivity(
      bot.url,
      build.execute({ aadObjectId: admin.id, name: admin.displayName }, verb, data, {
        serviceUrl: connector.url,
        tenantId: practice.tenantId,
      }),
    );
  const nudgesSent = () => connector.accepted.filter((a) => a.kind === 'send' && a.tag).length;

  it('reaches everyone, sends twice at most what was in flight, and keeps to the rate', async () => {
    // Previewed on one instance, confirmed on the other: whichever holds the sender lease sends.
    const preview = await click(bots[0]!, 'admin.nudgePreview', {
      audience: 'no-authenticator',
      kind: 'friendly',
    });
    const draftId = /"draftId":"([^"]+)"/.exec(JSON.stringify(preview.body))?.[1];
    assert.ok(draftId, JSON.stringify(preview.body).slice(0, 300));
    await click(bots[1]!, 'admin.nudgeConfirm', { draftId, final: true });

    const started = Date.now();
    while (Date.now() - started < 300_000 && nudgesSent() < RECIPIENTS / 3) await sleep(100);
    assert.ok(
      nudgesSent() >= RECIPIENTS / 3,
      `only ${nudgesSent()} nudges went out\n${bots.map((b) => b.log).join('\n')}`,
    );
    const leases = new Leases(store, systemClock);
    const sending = async () => {
      const holder = await leases.holder('campaign-sender');
      return bots.find((b) => holder?.owner.split('/')[1] === String(b.child?.pid));
    };
    let sender = await sending();
    for (let i = 0; i < 100 && !sender; i += 1) {
      await sleep(100);
      sender = await sending();
    }
    assert.ok(
      sender,
      `the sender lease is held by one of the two\n${bots.map((b) => b.log).join('\n')}`,
    );
    await sender.kill('SIGKILL');
    const campaigns = new CampaignStore(store, systemClock);
    // Claimed by the killed process: the most that can have reached someone without a record.
    const inFlight = (await campaigns.counts(CAMPAIGN)).sending;
    const sentAtKill = nudgesSent();

    const reached = () =>
      new Set(
        connector.accepted
          .filter((a) => a.kind === 'send' && a.tag)
          .map((a) => userOfChat(a.conversationId)),
      ).size;
    const deadline = Date.now() + 400_000;
    let counts = await campaigns.counts(CAMPAIGN);
    while (Date.now() < deadline) {
      if (reached() >= recipients.length) {
        counts = await campaigns.counts(CAMPAIGN);
        if (counts.queued + counts.sending === 0) break;
      }
      await sleep(1000);
    }
    assert.equal(
      counts.queued + counts.sending,
      0,
      `${sentAtKill} sent at the kill, ${nudgesSent()} now: ${JSON.stringify(counts)} (counted when everyone was reached)\n${bots.map((b) => b.log).join('\n')}`,
    );
    const perPerson = new Map<string, number>();
    for (const a of connector.accepted)
      if (a.kind === 'send' && a.tag === `${CAMPAIGN}:1`) {
        const id = userOfChat(a.conversationId) ?? a.conversationId;
        perPerson.set(id, (perPerson.get(id) ?? 0) + 1);
      }
    const lost = recipients.filter((u) => !perPerson.has(u.id));
    assert.deepEqual(
      lost.map((u) => u.id),
      [],
      'everyone was nudged',
    );
    const duplicates = [...perPerson.values()].reduce((sum, n) => sum + n - 1, 0);
    assert.ok(duplicates <= inFlight, `${duplicates} sent twice, ${inFlight} were in flight`);
    const stats = connector.stats;
    const attempts = stats.accepted + stats.overLimit + stats.injected429 + stats.injected5xx;
    assert.ok(
      stats.overGlobal <= attempts * 0.01,
      `${stats.overGlobal} of ${attempts} requests went over the app's rate`,
    );
    assert.equal(stats.overConversation, 0, 'no chat got more than Teams allows');
  });
});
