import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { buildApp, type AppOverrides, type BotApp } from '../../bot/app';
import { loadConfig, DEMO_PRACTICE_PATH, type AppConfig } from '../../bot/config';
import { startServer, type RunningServer } from '../../bot/server';
import {
  groupIdByName,
  loadPractice,
  type Practice,
  type PracticeUser,
} from '../../services/directory/practice';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import { silentLogger } from '../../services/logger';
import { LocalConnector } from './connector';
import type { LocalIdentity } from './identity';
import * as build from './activities';
import type { TestUser } from './activities';

export interface Harness {
  app: BotApp;
  config: AppConfig;
  server: RunningServer;
  connector: LocalConnector;
  sim: GraphSim;
  practice: Practice;
  dataDir: string;
  /** Posts an activity to /api/messages; returns the HTTP status and parsed body. */
  post(
    activity: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown }>;
  /** Sends a message and waits for the bot's replies to it. */
  say(user: TestUser, text: string): Promise<Array<Partial<Activity>>>;
  /** Clicks an Action.Execute button; returns the invoke response. */
  click(
    user: TestUser,
    verb: string,
    data?: unknown,
  ): Promise<{ status: number; body: InvokeBody }>;
  options: build.ActivityOptions;
  /** Waits for work that follows an answer (ticket follow-ups, other due jobs) to finish. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface InvokeBody {
  statusCode: number;
  type: string;
  value: { type?: string; body?: unknown[]; actions?: unknown[] } & Record<string, unknown>;
}

export function userOf(u: PracticeUser): TestUser {
  return { aadObjectId: u.id, name: u.displayName };
}

export interface HarnessOptions extends AppOverrides {
  env?: Record<string, string>;
  /** Reuse a data folder (restart tests). */
  dataDir?: string;
  sim?: GraphSim;
  /** Reuse a running connector (restart tests: Teams stays where it was). */
  connector?: LocalConnector;
  /**
   * Runs production mode instead of the demo: real inbound token checks against this identity
   * stand-in, replies signed with its tokens (the connector checks them), Graph still the
   * stand-in. `post`, `say` and `click` sign each activity unless an Authorization is given.
   */
  identity?: LocalIdentity;
}

/** The production environment for the demo practice against a local identity stand-in. */
function productionEnv(
  identity: LocalIdentity,
  practice: Practice,
  dataDir: string,
): Record<string, string> {
  const caPath = path.join(dataDir, 'identity-ca.pem');
  fs.writeFileSync(caPath, identity.caPem);
  const domain = practice.users[0]?.userPrincipalName.split('@')[1] ?? 'example.org';
  return {
    MicrosoftAppId: identity.appId,
    MicrosoftAppPassword: identity.appSecret,
    MicrosoftAppTenantId: practice.tenantId,
    IT_GROUP_ID: groupIdByName(practice, 'IT Support'),
    ADMIN_GROUP_ID: groupIdByName(practice, 'Practice Admins'),
    IT_PHONE: '555-0100 ext. 200',
    MAIL_SENDER: `it-helpdesk@${domain}`,
    AUDIT_KEY: 'an-audit-key-for-production-mode-tests',
    ToBotFromChannelOpenIdMetadataUrl: identity.channelMetadataUrl,
    ToChannelFromBotLoginUrl: identity.loginUrl,
    // The local connector (and any stand-in a test posts as) listens on this machine.
    SERVICE_URL_HOSTS: '127.0.0.1',
    LOGIN_CA_CERT_PATH: caPath,
    // Graph tokens come from the same local authority, through @azure/identity.
    AZURE_AUTHORITY_HOST: identity.loginOrigin,
  };
}

/**
 * Points botbuilder's "emulator" key lookup (Entra's common keys, which no variable sets) at the
 * stand-in, so a token in that form is checked offline as it would be against Microsoft's keys.
 */
function withEntraKeysFrom(identity: LocalIdentity, config: AppConfig): AppConfig {
  const authSettings = {
    ...config.bot.authSettings,
    ToBotFromEmulatorOpenIdMetadataUrl: identity.entraCommonMetadataUrl,
  };
  return { ...config, bot: { ...config.bot, authSettings } };
}

/** Posts an activity (or a raw string) to a bot's /api/messages; the body comes back parsed if JSON. */
export async function postActivity(
  botUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: res.status, body };
}

/** Demo-mode settings for a bot in a test: the given stand-in, quiet logs, fast retries. */
export function testEnv(dataDir: string, sim: GraphSim): Record<string, string> {
  const caPath = path.join(dataDir, 'graph-ca.pem');
  fs.writeFileSync(caPath, sim.caPem);
  return {
    DATA_DIR: dataDir,
    GRAPH_BASE_URL: sim.baseUrl,
    GRAPH_CA_CERT_PATH: caPath,
    LOG_LEVEL: 'silent',
    PORT: '0',
    GRAPH_RETRY_BASE_MS: '20',
    USER_TURNS_PER_MINUTE: '10000',
    GRAPH_TIMEOUT_MS: '5000',
  };
}

/** The whole bot in this process: Graph stand-in, app, HTTP endpoint and a local connector. */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const practice = loadPractice(DEMO_PRACTICE_PATH);
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-test-'));
  const sim =
    o.sim ?? (await startGraphSim({ port: 0, practice, dataDir: path.join(dataDir, 'graph-sim') }));
  const loaded = loadConfig({
    ...testEnv(dataDir, sim),
    ...(o.identity ? productionEnv(o.identity, practice, dataDir) : {}),
    ...o.env,
  });
  const config = o.identity ? withEntraKeysFrom(o.identity, loaded) : loaded;
  const logger = o.logger ?? silentLogger();
  const app = buildApp(config, { logger, schedulerPollMs: 60_000, ...o });
  const server = await startServer(app, 0, '127.0.0.1');
  const connector = o.connector ?? (await new LocalConnector().start());
  const identity = o.identity;
  if (identity) connector.authorize = (authorization) => identity.checkBotToken(authorization);
  const options: build.ActivityOptions = { serviceUrl: connector.url, tenantId: practice.tenantId };

  const signed = (activity: unknown, headers: Record<string, string>): Record<string, string> => {
    const given = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
    if (!identity || given) return headers;
    const serviceUrl = (activity as { serviceUrl?: unknown } | null)?.serviceUrl;
    const serviceurl = typeof serviceUrl === 'string' ? serviceUrl : options.serviceUrl;
    return { ...headers, authorization: `Bearer ${identity.channelToken({ serviceurl })}` };
  };

  const post = (activity: unknown, headers: Record<string, string> = {}) =>
    postActivity(server.url, activity, signed(activity, headers));

  return {
    app,
    config,
    server,
    connector,
    sim,
    practice,
    dataDir,
    options,
    post,
    async say(user, text) {
      const activity = build.message(user, text, options);
      const before = connector.calls.length;
      const res = await post(activity);
      if (res.status !== 200)
        throw new Error(`bot answered ${res.status}: ${JSON.stringify(res.body)}`);
      // Replies are sent during the turn, before the HTTP answer.
      return connector.calls
        .slice(before)
        .filter((c) => c.activityId === activity.id)
        .map((c) => c.body as Partial<Activity>);
    },
    async click(user, verb, data = {}) {
      const res = await post(build.execute(user, verb, data, options));
      return { status: res.status, body: res.body as InvokeBody };
    },
    async settle() {
      await app.parts.scheduler.settle();
    },
    async close() {
      await server.close();
      await app.close();
      if (!o.connector) await connector.stop();
      if (!o.sim) await sim.close();
    },
  };
}

/** Every TextBlock text and action title in a card, joined: what a person reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (typeof n.text === 'string') out.push(n.text);
      if (typeof n.title === 'string') out.push(n.title);
      if (typeof n.label === 'string') out.push(n.label);
      if (typeof n.value === 'string' && n.type === undefined) out.push(n.value);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}

/** The Adaptive Card in a sent activity, if any. */
export function cardOf(activity: Partial<Activity>): Record<string, unknown> | undefined {
  const att = activity.attachments?.find(
    (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
  );
  return att?.content as Record<string, unknown> | undefined;
}

/** Changes a user in the Graph stand-in, as an admin or the user would in Microsoft 365. */
export async function patchSimUser(
  h: Harness,
  idOrUpn: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const { call } = await import('../graph-sim/helpers');
  const res = await call(h.sim, 'PATCH', `/_sim/users/${encodeURIComponent(idOrUpn)}`, {
    body: patch,
    token: null,
  });
  if (res.status >= 300) throw new Error(`sim refused the patch: ${res.status} ${res.text}`);
}

export async function simFaults(h: Harness, faults: Record<string, unknown> | null): Promise<void> {
  const { call } = await import('../graph-sim/helpers');
  const res = await call(h.sim, 'POST', '/_sim/faults', { body: faults ?? {}, token: null });
  if (res.status >= 300) throw new Error(`sim refused the faults: ${res.status} ${res.text}`);
}
