/**
 * Dashboard tab benchmark for a generated 50,000-person practice, the Graph stand-in in a child
 * process (as it would be remote). First the coverage report is built and stored (a full
 * directory scan, as the bot does at its first request or its daily snapshot); then a fresh bot
 * process, started on that database like a restarted bot, serves the tab's API from the cached
 * report while clients call it: p50/p95 latency and that process's peak RSS. Then headless
 * Chromium opens the tab for the first paint and the time until the dashboard is drawn.
 * `npm run bench -- tab [--users N] [--requests N] [--clients N] [--json]`
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../bot/app';
import { loadConfig } from '../bot/config';
import { startServer } from '../bot/server';
import { generatePractice } from '../services/directory/generate';
import { STANDARD_GROUP_IDS } from '../services/directory/standard-groups';
import { startGraphSim } from '../services/graph-sim';
import { silentLogger } from '../services/logger';

const SEED = 5;

interface Ready {
  type: 'ready';
  url: string;
  caPem: string;
  admin: string;
}

interface BotReady {
  type: 'bot-ready';
  url: string;
}

/** The environment both bot processes run with. */
function botEnv(dataDir: string, graph: Ready): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    GRAPH_BASE_URL: graph.url,
    GRAPH_CA_CERT_PATH: path.join(dataDir, 'graph-ca.pem'),
    LOG_LEVEL: 'silent',
    DEMO_USER: graph.admin,
  };
}

/** The bot serving the tab, in its own process so its peak RSS is its own. */
async function botPeer(env: Record<string, string>): Promise<void> {
  const app = buildApp(loadConfig(env), { logger: silentLogger(), schedulerPollMs: 60_000 });
  const server = await startServer(app, 0, '127.0.0.1');
  process.on('message', (m: { type: string }) => {
    if (m.type === 'rss')
      process.send!({ type: 'rss', maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
  });
  process.send!({ type: 'bot-ready', url: server.url } satisfies BotReady);
}

function message<T>(child: ReturnType<typeof fork>, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`a benchmark process exited (${code})`)));
  });
}

/** The Graph stand-in with the generated practice, in its own process. */
async function peer(users: number): Promise<void> {
  const practice = generatePractice({ users, seed: SEED });
  const admin = practice.users.find(
    (u) =>
      u.accountEnabled &&
      u.userType === 'Member' &&
      u.memberOf.includes(STANDARD_GROUP_IDS.practiceAdmins),
  );
  if (!admin) throw new Error('the generated practice has no admin');
  const sim = await startGraphSim({ port: 0, practice, pageSize: 999 });
  process.send!({
    type: 'ready',
    url: sim.baseUrl,
    caPem: sim.caPem,
    admin: admin.userPrincipalName,
  } satisfies Ready);
}

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(args[index + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (n: number) => Math.round(n * 10) / 10;

export async function run(args: string[]): Promise<Record<string, number>> {
  const users = option(args, 'users', 50_000);
  const requests = option(args, 'requests', 600);
  const clients = option(args, 'clients', 4);
  const graph = fork(__filename, ['--peer', String(users)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await message<Ready>(graph, 'ready');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-bench-tab-'));
  fs.writeFileSync(path.join(dataDir, 'graph-ca.pem'), ready.caPem);
  const env = botEnv(dataDir, ready);
  let bot: ReturnType<typeof fork> | undefined;
  try {
    // The coverage report, built and stored as the bot does it (a full directory scan).
    const builder = buildApp(loadConfig(env), { logger: silentLogger(), schedulerPollMs: 60_000 });
    let started = performance.now();
    await builder.tab.dashboard.refresh();
    const scanSeconds = (performance.now() - started) / 1000;
    const scanPeakRss = Math.round(process.resourceUsage().maxRSS / 1024);
    await builder.close();

    bot = fork(__filename, ['--bot', JSON.stringify(env)], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const { url } = await message<BotReady>(bot, 'bot-ready');
    const get = async (route: string) => {
      const res = await fetch(`${url}${route}`, { headers: { authorization: 'Demo' } });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${route} answered ${res.status}`);
      return body.byteLength;
    };
    const routes = [
      '/api/tab/me',
      '/api/tab/coverage',
      '/api/tab/trend?days=90',
      '/api/tab/campaigns',
      '/api/tab/tickets',
      '/api/tab/people?page=0&pageSize=25',
      '/api/tab/people?page=40&pageSize=25&group=Nursing',
      '/api/tab/people?search=ava&pageSize=25',
      '/api/tab/people?standing=none&page=3&pageSize=100',
    ];
    const latencies: number[] = [];
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < requests) {
          const route = routes[next % routes.length]!;
          next += 1;
          const t = performance.now();
          await get(route);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const servingSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    started = performance.now();
    const csvBytes = await get('/api/tab/people.csv');
    const csvMs = performance.now() - started;
    const notRegistered = (await (
      await fetch(`${url}/api/tab/people?pageSize=1`, { headers: { authorization: 'Demo' } })
    ).json()) as { total: number };
    const browser = await firstPaint(url);
    bot.send({ type: 'rss' });
    const { maxRssMb } = await message<{ maxRssMb: number }>(bot, 'rss');
    return {
      tab_users: users,
      tab_not_on_authenticator: notRegistered.total,
      tab_requests: requests,
      tab_clients: clients,
      tab_api_p50_ms: round(percentile(latencies, 50)),
      tab_api_p95_ms: round(percentile(latencies, 95)),
      tab_api_max_ms: round(latencies[latencies.length - 1] ?? 0),
      tab_api_rps: Math.round(requests / servingSeconds),
      tab_peak_rss_mb: maxRssMb,
      tab_coverage_scan_s: round(scanSeconds),
      tab_scan_peak_rss_mb: scanPeakRss,
      tab_csv_ms: Math.round(csvMs),
      tab_csv_kb: Math.round(csvBytes / 1024),
      ...browser,
    };
  } finally {
    bot?.kill();
    graph.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** First paint of the tab page and the time until the dashboard is drawn, in headless Chromium. */
async function firstPaint(url: string): Promise<Record<string, number>> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) return {};
  const { launchBrowser } = await import('../test/e2e/browser');
  const { page, close } = await launchBrowser();
  try {
    const started = performance.now();
    await page.goto(`${url}/tab/`);
    const paints = (await page.evaluate(
      `performance.getEntriesByType('paint').map((e) => [e.name, e.startTime])`,
    )) as Array<[string, number]>;
    await page.locator('#demo-signin').click();
    await page.locator('#coverage-table table').waitFor({ timeout: 60_000 });
    await page.locator('#people table').waitFor({ timeout: 60_000 });
    const drawn = performance.now() - started;
    const fcp = paints.find(([name]) => name === 'first-contentful-paint')?.[1] ?? NaN;
    return { tab_first_paint_ms: Math.round(fcp), tab_dashboard_drawn_ms: Math.round(drawn) };
  } finally {
    await close();
  }
}

if (require.main === module && (process.argv[2] === '--peer' || process.argv[2] === '--bot')) {
  const work =
    process.argv[2] === '--peer'
      ? peer(Number(process.argv[3]))
      : botPeer(JSON.parse(process.argv[3] ?? '{}') as Record<string, string>);
  work.catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
