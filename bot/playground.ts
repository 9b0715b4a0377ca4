import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Practice, PracticeUser } from '../services/directory/practice';
import type { Logger } from '../services/logger';
import { DEMO_BOT, type DemoLayout } from './demo-teams';

export interface PlaygroundOptions {
  port: number;
  botEndpoint: string;
  /** The demo's Teams: the serviceUrl of everything the playground sends the bot. */
  serviceUrl: string;
  dataDir: string;
  practice: Practice;
  /** Who is signed in, and the chats and team they see. */
  layout: DemoLayout;
  /** The signed-in person's time zone (the playground reports its own with each message). */
  timeZone: string;
  logger: Logger;
}

export interface RunningPlayground {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the Microsoft 365 Agents Playground (a local Teams client) as one member of the demo
 * practice, bound to loopback, with telemetry off and no browser opened.
 */
export async function startPlayground(o: PlaygroundOptions): Promise<RunningPlayground> {
  if (!(await portIsFree(o.port))) {
    throw new Error(`port ${o.port} is busy; stop what uses it or set PLAYGROUND_PORT`);
  }
  const dir = path.join(o.dataDir, 'playground');
  fs.mkdirSync(dir, { recursive: true });
  const configPath = path.join(dir, '.m365agentsplayground.yml');
  fs.writeFileSync(configPath, playgroundConfig(o.practice, o.layout));

  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(__dirname, 'loopback.js'),
      cli,
      '--app-endpoint',
      o.botEndpoint,
      '--channel-id',
      'msteams',
      '--port',
      String(o.port),
      '--service-url',
      o.serviceUrl,
      '--disable-telemetry',
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        // The playground reports its machine's time zone with each message: the practice's.
        TZ: o.timeZone,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${o.port}`;
  try {
    await waitForHttp(url, child, 60_000);
  } catch (err) {
    child.kill('SIGTERM');
    throw new Error(
      `the Agents Playground did not start: ${(err as Error).message}\n${output.join('').slice(-2000)}`,
      { cause: err },
    );
  }
  o.logger.debug({ url }, 'playground started');
  return {
    url,
    child,
    stop: () => stopChild(child),
  };
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

function userYaml(u: PracticeUser, id: string, indent: string): string {
  return [
    `${indent}id: ${yamlString(id)}`,
    `${indent}name: ${yamlString(u.displayName)}`,
    `${indent}userPrincipleName: ${yamlString(u.userPrincipalName)}`,
    `${indent}aadObjectId: ${yamlString(u.id)}`,
    `${indent}givenName: ${yamlString(u.givenName ?? '')}`,
    `${indent}surname: ${yamlString(u.surname ?? '')}`,
    `${indent}email: ${yamlString(u.mail ?? u.userPrincipalName)}`,
  ].join('\n');
}

/** The playground's config: the demo user, five colleagues, and the IT team with its channel. */
function playgroundConfig(practice: Practice, layout: DemoLayout): string {
  const { me, team } = layout;
  return [
    '# Written by mfa-bot at start: the demo practice as the Agents Playground sees it.',
    'version: "0.1.1"',
    `tenantId: ${yamlString(practice.tenantId)}`,
    'bot:',
    `  id: ${yamlString(DEMO_BOT.id)}`,
    `  name: ${yamlString(DEMO_BOT.name)}`,
    'currentUser:',
    userYaml(me, 'user-id-0', '  '),
    'users:',
    ...layout.colleagues.map((u, i) => `  -\n${userYaml(u, `user-id-${i + 1}`, '    ')}`),
    'personalChat:',
    `  id: ${yamlString(layout.personalChatId)}`,
    'groupChat:',
    `  id: ${yamlString(layout.groupChat.id)}`,
    `  name: ${yamlString(layout.groupChat.name)}`,
    'team:',
    `  id: ${yamlString(team.id)}`,
    `  name: ${yamlString(team.name)}`,
    `  aadGroupId: ${yamlString(team.aadGroupId)}`,
    '  channels:',
    `    - id: ${yamlString(team.channel.id)}`,
    `      name: ${yamlString(team.channel.name)}`,
    '',
  ].join('\n');
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
