import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type BotApp } from '../../bot/app';
import { DEMO_PRACTICE_PATH, loadConfig, type AppConfig } from '../../bot/config';
import { startServer, type RunningServer } from '../../bot/server';
import type { Campaign } from '../../services/campaigns/model';
import type { CampaignTuning } from '../../services/campaigns/service';
import type { Clock } from '../../services/clock';
import { loadPractice, type Practice, type PracticeUser } from '../../services/directory/practice';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import { silentLogger, type Logger } from '../../services/logger';
import type { DocumentStore } from '../../services/storage/types';
import * as build from '../helpers/activities';
import type { TestUser } from '../helpers/activities';
import { call } from '../graph-sim/helpers';
import { postActivity, testEnv, type InvokeBody } from '../helpers/harness';
import {
  chatIdFor,
  RateLimitedConnector,
  type RateLimitedConnectorOptions,
} from '../helpers/rate-limited-connector';

/** The whole bot in process with a rate-limited connector; parts can be kept across a restart. */
export interface CampaignHarness {
  app: BotApp;
  config: AppConfig;
  server: RunningServer;
  connector: RateLimitedConnector;
  sim: GraphSim;
  practice: Practice;
  dataDir: string;
  options: build.ActivityOptions;
  click(
    user: TestUser,
    verb: string,
    data?: unknown,
    extra?: { replyToId?: string },
  ): Promise<{ status: number; body: InvokeBody }>;
  /** Posts any activity to the bot (a team event, say). */
  post(activity: unknown): Promise<{ status: number; body: unknown }>;
  say(user: TestUser, text: string): Promise<number>;
  /** Saves a 1:1 chat for these people, as if each had talked to the bot before. */
  seedChats(userIds: readonly string[]): Promise<void>;
  /** Waits until the campaign's current round is over (every row final). */
  settled(campaignId: string, timeoutMs?: number): Promise<Campaign>;
  close(keep?: { sim?: boolean; connector?: boolean }): Promise<void>;
}

export interface CampaignHarnessOptions {
  practice?: Practice;
  sim?: GraphSim;
  dataDir?: string;
  connector?: RateLimitedConnector;
  connectorOptions?: RateLimitedConnectorOptions;
  tuning?: CampaignTuning;
  store?: DocumentStore;
  clock?: Clock;
  env?: Record<string, string>;
  logger?: Logger;
}

/**
 * Fast but bounded: tests send far faster than a real tenant may, with short leases and backoff,
 * and take 20 of the stand-in's Graph report reads and 50 installs a second (a tenant allows
 * 5 reads per 10 seconds; the stand-in enforces no limit unless a test asks).
 */
export const FAST: CampaignTuning = {
  maxRps: 400,
  leaseMs: 1500,
  backoffBaseMs: 20,
  backoffCapMs: 200,
  pollMs: 50,
  progressEveryMs: 200,
  concurrency: 48,
  graphReads: { requests: 20, perMs: 1000 },
  installs: { requests: 50, perMs: 1000 },
};

/** Changes a user in the Graph stand-in, as an admin or the user would in Microsoft 365. */
export async function patchUser(
  sim: GraphSim,
  idOrUpn: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const res = await call(sim, 'PATCH', `/_sim/users/${encodeURIComponent(idOrUpn)}`, {
    body: patch,
    token: null,
  });
  if (res.status >= 300)
    throw new Error(`the stand-in refused the change: ${res.status} ${res.text}`);
}

export function testUser(u: PracticeUser): TestUser {
  return { aadObjectId: u.id, name: u.displayName };
}

export function byUpn(practice: Practice, upn: string): PracticeUser {
  const u = practice.users.find((x) => x.userPrincipalName.toLowerCase() === upn.toLowerCase());
  if (!u) throw new Error(`no ${upn} in the practice`);
  return u;
}

export async function startCampaignHarness(
  o: CampaignHarnessOptions = {},
): Promise<CampaignHarness> {
  const practice = o.practice ?? loadPractice(DEMO_PRACTICE_PATH);
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-campaign-'));
  const sim = o.sim ?? (await startGraphSim({ port: 0, practice, pageSize: 500 }));
  const config = loadConfig({ ...testEnv(dataDir, sim), ...o.env });
  const app = buildApp(config, {
    logger: o.logger ?? silentLogger(),
    schedulerPollMs: 60_000,
    campaignTuning: o.tuning ?? FAST,
    store: o.store,
    clock: o.clock,
  });
  const server = await startServer(app, 0, '127.0.0.1');
  const connector = o.connector ?? (await new RateLimitedConnector(o.connectorOptions).start());
  const options: build.ActivityOptions = { serviceUrl: connector.url, tenantId: config.tenantId };

  const post = (activity: unknown) => postActivity(server.url, activity);

  return {
    app,
    config,
    server,
    connector,
    sim,
    practice,
    dataDir,
    options,
    async click(user, verb, data = {}, extra = {}) {
      const activity = { ...build.execute(user, verb, data, options), ...extra };
      const res = await post(activity);
      return { status: res.status, body: res.body as InvokeBody };
    },
    post,
    async say(user, text) {
      return (await post(build.message(user, text, options))).status;
    },
    async seedChats(userIds) {
      for (const id of userIds) {
        await app.parts.conversations.saveUser(id, {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: {
            id: chatIdFor(id),
            conversationType: 'personal',
            isGroup: false,
            tenantId: config.tenantId,
            name: '',
          },
          user: { id: `29:${id}`, name: '', aadObjectId: id },
          bot: build.BOT,
        });
      }
    },
    async settled(campaignId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const c = await app.parts.campaigns.store.campaign(campaignId);
        const counts = await app.parts.campaigns.store.counts(campaignId);
        const busy = app.parts.campaigns.sender.isSending(campaignId);
        if (
          c &&
          c.status !== 'running' &&
          c.status !== 'preparing' &&
          counts.queued + counts.sending === 0 &&
          !busy
        )
          return c;
        if (Date.now() > deadline)
          throw new Error(
            `campaign ${campaignId} did not settle: ${JSON.stringify({ status: c?.status, counts })}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close(keep = {}) {
      await server.close();
      await app.close();
      if (!keep.connector) await connector.stop();
      if (!keep.sim && !o.sim) await sim.close();
    },
  };
}
