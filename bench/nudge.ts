/**
 * Nudge benchmark: the production campaign service end to end (stored outbox, the real
 * CloudAdapter sending over HTTP) against a local connector that enforces a global limit and
 * Teams' per-conversation limits, and answers 5% of requests with 429 Retry-After: 1 for that
 * conversation only. The bot, the connector and the Graph stand-in each run in their own process;
 * the bot is started with the Node options `npm run serve` uses, and the figures (peak RSS too)
 * are the bot's. With `--instances N` (2 or more) the bot runs as N processes on one Azure storage
 * account (Azurite, started here), as App Service scale-out runs it; peak RSS is then the largest
 * of theirs.
 * `npm run bench -- nudge [--recipients N] [--limit RPS] [--saved-chats SHARE] [--instances N] [--json]`
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp, type AppOverrides } from '../bot/app';
import { loadConfig } from '../bot/config';
import { startServer } from '../bot/server';
import { startGraphSim } from '../services/graph-sim';
import { silentLogger } from '../services/logger';
import { CampaignStore } from '../services/campaigns/store';
import { systemClock } from '../services/clock';
import { AzureStore } from '../services/storage/azure/store';
import { openConfiguredStore } from '../services/storage/settings';
import { ConversationDirectory } from '../services/storage/conversations';
import { startAzurite } from '../test/helpers/azurite';
import * as build from '../test/helpers/activities';
import { campaignPractice } from '../test/campaigns/fixtures';
import {
  chatIdFor,
  RateLimitedConnector,
  userOfChat,
  type ConnectorStats,
} from '../test/helpers/rate-limited-connector';

const SEED = 3;

interface PeerOptions {
  role: 'graph' | 'connector' | 'bot';
  recipients: number;
  limit: number;
  /** For a bot: its environment (the shared storage account, the Graph stand-in). */
  env?: Record<string, string>;
}
interface Stopped {
  type: 'stopped';
  peakRssMb: number;
}
interface Ready {
  type: 'ready';
  url: string;
  caPem?: string;
}
interface Report {
  type: 'report';
  stats: ConnectorStats;
  /** Accepted requests from `since` on: [time, kind, conversation, tag]. */
  accepted: Array<[number, string, string, string | null]>;
}

/** Bot settings for the benchmark: sends at the connector's limit, Graph reads scaled up. */
function benchApp(env: Record<string, string>, limit: number, recipients: number) {
  // The configured rate is the limit the connector enforces (above what NUDGE_MAX_RPS allows a tenant).
  const config = { ...loadConfig(env), nudgeMaxRps: limit, nudgeConfirmThreshold: recipients + 1 };
  // Installs and report reads scaled the same way: the stand-in here enforces none of Graph's
  // limits, and the figures are about sending.
  const overrides: AppOverrides = {
    logger: silentLogger(),
    schedulerPollMs: 60_000,
    campaignTuning: {
      installs: { requests: limit, perMs: 1000 },
      graphReads: { requests: 20, perMs: 1000 },
    },
  };
  return { config, app: buildApp(config, overrides) };
}

/**
 * The far side, each in its own process: the Graph stand-in, or the rate-limited connector; or,
 * with several instances, one bot instance.
 */
async function peer(options: PeerOptions): Promise<void> {
  if (options.role === 'bot') {
    const { app } = benchApp(options.env ?? {}, options.limit, options.recipients);
    const server = await startServer(app, 0, '127.0.0.1');
    // As a deployed instance starts: its scheduler, and asking for the campaign sender lease.
    app.start();
    process.on('message', (m: { type: string }) => {
      if (m.type !== 'stop') return;
      void (async () => {
        await server.close();
        await app.close();
        const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
        process.send!({ type: 'stopped', peakRssMb } satisfies Stopped, () => process.exit(0));
      })();
    });
    process.send!({ type: 'ready', url: server.url } satisfies Ready);
    return;
  }
  if (options.role === 'graph') {
    const { practice } = campaignPractice(options.recipients, SEED);
    const sim = await startGraphSim({ port: 0, practice, pageSize: 999 });
    process.send!({ type: 'ready', url: sim.baseUrl, caPem: sim.caPem } satisfies Ready);
    return;
  }
  const connector = await new RateLimitedConnector({
    globalPerSecond: options.limit,
    throttleRate: 0.05,
    retryAfterSeconds: 1,
    seed: 9,
  }).start();
  process.on('message', (m: { type: string; since: number }) => {
    if (m.type !== 'report') return;
    const accepted = connector.accepted
      .slice(m.since)
      .map((a) => [a.at, a.kind, a.conversationId, a.tag ?? null] as Report['accepted'][number]);
    process.send!({ type: 'report', stats: connector.stats, accepted } satisfies Report);
  });
  process.send!({ type: 'ready', url: connector.url } satisfies Ready);
}

/** The Node options the product's own start scripts give the bot (a heap size, say). */
function serveNodeOptions(): string[] {
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const words = scripts.serve!.split(/\s+/);
  return words
    .slice(
      1,
      words.findIndex((w) => w.endsWith('.js')),
    )
    .filter((w) => w.startsWith('--'));
}

function startPeer(options: PeerOptions): ChildProcess {
  return fork(__filename, ['--peer', JSON.stringify(options)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // The bot as `npm run serve` starts it; the other peers only without the deprecation notice
    // a dependency of restify prints.
    execArgv: options.role === 'bot' ? serveNodeOptions() : ['--disable-warning=DEP0111'],
  });
}

function next<T extends { type: string }>(child: ChildProcess, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the connector process exited (${code})`)));
  });
}

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(args[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** One or several bot instances under test, driven the same way. */
interface Bots {
  urls: string[];
  tenantId: string;
  conversations: ConversationDirectory;
  campaigns: CampaignStore;
  /** Every row is final and no instance is still sending. */
  finished(id: string): Promise<boolean>;
  /** Stops them; the largest peak RSS among them, in MB. */
  stop(): Promise<number>;
}

/**
 * The bot as its own processes: one on its SQLite file, as a single-instance deployment runs, or
 * several on one storage account (Azurite, on loopback).
 */
async function startBots(
  env: Record<string, string>,
  count: number,
  limit: number,
  recipients: number,
): Promise<Bots> {
  const azurite = count > 1 ? await startAzurite({ memoryLimitMb: 1024 }) : undefined;
  const shared = azurite
    ? {
        ...env,
        STORAGE: 'azure',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        AZURE_STORAGE_PREFIX: 'bench',
      }
    : env;
  const children = Array.from({ length: count }, (_, i) =>
    startPeer({
      role: 'bot',
      recipients,
      limit,
      env: azurite ? { ...shared, DATA_DIR: path.join(env.DATA_DIR!, `instance-${i}`) } : shared,
    }),
  );
  const ready = await Promise.all(children.map((c) => next<Ready>(c, 'ready')));
  // The bench's own view of the same storage: SQLite allows a second process on its file.
  const store = azurite
    ? new AzureStore({
        connection: { connectionString: azurite.connectionString },
        prefix: 'bench',
      })
    : openConfiguredStore({ dataDir: env.DATA_DIR!, journalMode: 'wal' });
  const campaigns = new CampaignStore(store, systemClock);
  return {
    urls: ready.map((r) => r.url),
    tenantId: loadConfig(env).tenantId,
    conversations: new ConversationDirectory(store),
    campaigns,
    async finished(id: string) {
      // Set by the sending instance once no row is queued or being sent (counting here would
      // read every row, again and again, from the same storage the senders use).
      const c = await campaigns.campaign(id);
      return c?.status === 'done' || c?.status === 'waiting';
    },
    async stop() {
      const stopped = await Promise.all(
        children.map((c) => {
          const answer = next<Stopped>(c, 'stopped');
          c.send({ type: 'stop' });
          return answer;
        }),
      );
      await store.close();
      await azurite?.stop();
      return Math.max(...stopped.map((s) => s.peakRssMb));
    },
  };
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let nextIndex = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (nextIndex < items.length) await work(items[nextIndex++]!);
    }),
  );
}

export async function run(args: string[]): Promise<Record<string, number>> {
  const recipients = option(args, 'recipients', 10_000);
  const limit = option(args, 'limit', 200);
  const savedShare = option(args, 'saved-chats', 0.8);
  const instances = Math.floor(option(args, 'instances', 1));
  const { recipients: people, admin } = campaignPractice(recipients, SEED);
  const graphPeer = startPeer({ role: 'graph', recipients, limit });
  const child = startPeer({ role: 'connector', recipients, limit });
  const [graph, connectorReady] = await Promise.all([
    next<Ready>(graphPeer, 'ready'),
    next<Ready>(child, 'ready'),
  ]);
  const connector = { url: connectorReady.url };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-bench-nudge-'));
  const caPath = path.join(dataDir, 'graph-ca.pem');
  fs.writeFileSync(caPath, graph.caPem ?? '');
  const env = {
    DATA_DIR: dataDir,
    GRAPH_BASE_URL: graph.url,
    GRAPH_CA_CERT_PATH: caPath,
    LOG_LEVEL: 'silent',
    USER_TURNS_PER_MINUTE: '10000',
  };
  const bots = await startBots(env, instances, limit, recipients);
  let stopped = false;
  try {
    const saved = people.slice(0, Math.round(people.length * savedShare));
    await inParallel(saved, 16, (u) =>
      bots.conversations.saveUser(u.id, {
        channelId: 'msteams',
        serviceUrl: connector.url,
        conversation: {
          id: chatIdFor(u.id),
          conversationType: 'personal',
          isGroup: false,
          tenantId: bots.tenantId,
          name: '',
        },
        user: { id: `29:${u.id}`, name: '', aadObjectId: u.id },
        bot: build.BOT,
      }),
    );
    const options = { serviceUrl: connector.url, tenantId: bots.tenantId };
    const user = { aadObjectId: admin.id, name: admin.displayName };
    const click = async (url: string, verb: string, data: unknown, extra: object = {}) => {
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...build.execute(user, verb, data, options), ...extra }),
      });
      return (await res.json()) as { value: { actions?: Array<{ data?: { draftId?: string } }> } };
    };
    // Previewed on one instance and confirmed on the last, as a load balancer may split them.
    const preview = await click(bots.urls[0]!, 'admin.nudgePreview', {
      audience: 'no-authenticator',
      kind: 'friendly',
    });
    const draftId = preview.value.actions?.[0]?.data?.draftId;
    if (!draftId) throw new Error('the preview had no confirm button');

    const before = await report(child, 0);
    const started = performance.now();
    await click(
      bots.urls[bots.urls.length - 1]!,
      'admin.nudgeConfirm',
      { draftId, final: true },
      { replyToId: 'bench-progress' },
    );
    const id = 'NUDGE-0001';
    while (!(await bots.finished(id))) await new Promise((resolve) => setTimeout(resolve, 100));
    const seconds = (performance.now() - started) / 1000;

    const after = await report(child, before.accepted.length);
    stopped = true;
    const peakRssMb = await bots.stop();
    const during = after.accepted;
    const span = Math.max(1, during[during.length - 1]![0] - during[0]![0]) / 1000;
    const stats = after.stats;
    const attempts =
      stats.accepted + stats.overLimit + stats.injected429 + stats.injected5xx + stats.ruled;
    const counts = new Map<string, number>();
    for (const [, kind, conversation, tag] of during) {
      if (kind === 'send' && tag)
        counts.set(`${conversation}|${tag}`, (counts.get(`${conversation}|${tag}`) ?? 0) + 1);
    }
    const reached = new Set([...counts.keys()].map((k) => userOfChat(k.split('|')[0]!)));
    const lost = people.filter((u) => !reached.has(u.id)).length;
    const duplicates = [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const acceptedRps = during.length / span;
    return {
      nudge_recipients: recipients,
      nudge_instances: instances,
      nudge_limit_rps: limit,
      nudge_accepted_rps: Math.round(acceptedRps * 10) / 10,
      nudge_ratio_of_limit: Math.round((acceptedRps / limit) * 1000) / 1000,
      nudge_over_limit: Math.round((stats.overLimit / Math.max(1, attempts)) * 10_000) / 10_000,
      nudge_lost: lost,
      nudge_duplicates: duplicates,
      nudge_peak_rss_mb: peakRssMb,
      nudge_seconds: Math.round(seconds * 10) / 10,
    };
  } finally {
    if (!stopped) await bots.stop().catch(() => 0);
    child.kill();
    graphPeer.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function report(child: ChildProcess, since: number): Promise<Report> {
  const answer = next<Report>(child, 'report');
  child.send({ type: 'report', since });
  return answer;
}

if (require.main === module && process.argv[2] === '--peer') {
  peer(JSON.parse(process.argv[3] ?? '{}') as PeerOptions).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
