/**
 * Nudge benchmark: the production campaign service end to end (stored outbox, the real
 * CloudAdapter sending over HTTP) against a local connector that enforces a global limit and
 * Teams' per-conversation limits, and answers 5% of requests with 429 Retry-After: 1 for that
 * conversation only. The connector and the Graph stand-in each run in a child process, as they
 * would be remote; the figures (peak RSS too) are the bot's process.
 * `npm run bench -- nudge [--recipients N] [--limit RPS] [--saved-chats SHARE] [--json]`
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../bot/app';
import { loadConfig } from '../bot/config';
import { startServer } from '../bot/server';
import { startGraphSim } from '../services/graph-sim';
import { silentLogger } from '../services/logger';
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
  role: 'graph' | 'connector';
  recipients: number;
  limit: number;
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

/** The far side, each in its own process: the Graph stand-in, or the rate-limited connector. */
async function peer(options: PeerOptions): Promise<void> {
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

function startPeer(options: PeerOptions): ChildProcess {
  return fork(__filename, ['--peer', JSON.stringify(options)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
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

export async function run(args: string[]): Promise<Record<string, number>> {
  const recipients = option(args, 'recipients', 10_000);
  const limit = option(args, 'limit', 200);
  const savedShare = option(args, 'saved-chats', 0.8);
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
  // The configured rate is the limit the connector enforces (above what NUDGE_MAX_RPS allows a tenant).
  const config = { ...loadConfig(env), nudgeMaxRps: limit, nudgeConfirmThreshold: recipients + 1 };
  // Installs and report reads scaled the same way: the stand-in here enforces none of Graph's
  // limits, and the figures are about sending.
  const campaignTuning = {
    installs: { requests: limit, perMs: 1000 },
    graphReads: { requests: 20, perMs: 1000 },
  };
  const app = buildApp(config, { logger: silentLogger(), schedulerPollMs: 60_000, campaignTuning });
  const server = await startServer(app, 0, '127.0.0.1');
  try {
    const saved = people.slice(0, Math.round(people.length * savedShare));
    for (const u of saved) {
      await app.parts.conversations.saveUser(u.id, {
        channelId: 'msteams',
        serviceUrl: connector.url,
        conversation: {
          id: chatIdFor(u.id),
          conversationType: 'personal',
          isGroup: false,
          tenantId: config.tenantId,
          name: '',
        },
        user: { id: `29:${u.id}`, name: '', aadObjectId: u.id },
        bot: build.BOT,
      });
    }
    const options = { serviceUrl: connector.url, tenantId: config.tenantId };
    const user = { aadObjectId: admin.id, name: admin.displayName };
    const click = async (verb: string, data: unknown, extra: object = {}) => {
      const res = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...build.execute(user, verb, data, options), ...extra }),
      });
      return (await res.json()) as { value: { actions?: Array<{ data?: { draftId?: string } }> } };
    };
    const preview = await click('admin.nudgePreview', {
      audience: 'no-authenticator',
      kind: 'friendly',
    });
    const draftId = preview.value.actions?.[0]?.data?.draftId;
    if (!draftId) throw new Error('the preview had no confirm button');

    const before = await report(child, 0);
    const started = performance.now();
    await click('admin.nudgeConfirm', { draftId, final: true }, { replyToId: 'bench-progress' });
    const id = 'NUDGE-0001';
    for (;;) {
      const c = await app.parts.campaigns.store.campaign(id);
      if (
        c &&
        (c.status === 'done' || c.status === 'waiting') &&
        !app.parts.campaigns.sender.isSending(id)
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;

    const after = await report(child, before.accepted.length);
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
      nudge_limit_rps: limit,
      nudge_accepted_rps: Math.round(acceptedRps * 10) / 10,
      nudge_ratio_of_limit: Math.round((acceptedRps / limit) * 1000) / 1000,
      nudge_over_limit: Math.round((stats.overLimit / Math.max(1, attempts)) * 10_000) / 10_000,
      nudge_lost: lost,
      nudge_duplicates: duplicates,
      nudge_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      nudge_seconds: Math.round(seconds * 10) / 10,
    };
  } finally {
    await server.close();
    await app.close();
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
