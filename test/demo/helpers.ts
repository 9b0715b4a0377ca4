import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/config';
import { runDemoCommand } from '../../bot/demo-cli';
import { startStack, type RunningStack } from '../../bot/demo';
import { silentLogger } from '../../services/logger';
import { freePort } from '../helpers/ports';

/** The demo without the playground: everyone in the practice is played through `mfa-bot demo`. */
export interface DemoRun {
  stack: RunningStack;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** `mfa-bot demo …` against this demo: exit code and what it printed. */
  demo(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** A demo person's messages from the bot, as the control API gives them. */
  messages(who: string): Promise<Message[]>;
  /** The control API answer to POST /_sim/people/<who>/<verb>. */
  post(who: string, verb: string, body: unknown): Promise<{ status: number; text?: string }>;
  stop(): Promise<void>;
}

export interface Message {
  at: string;
  updated?: string;
  text: string;
  lines: string[];
  buttons: string[];
}

export async function startDemo(dataDir?: string): Promise<DemoRun> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-demo-'));
  const env: NodeJS.ProcessEnv = {
    DATA_DIR: dir,
    PORT: String(await freePort()),
    GRAPH_SIM_PORT: String(await freePort()),
    TEAMS_SIM_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
  };
  const stack = await startStack(loadConfig(env), silentLogger(), false);
  const base = `http://127.0.0.1:${env.TEAMS_SIM_PORT}/_sim`;
  return {
    stack,
    env,
    dataDir: dir,
    async demo(...args) {
      let out = '';
      let err = '';
      const code = await runDemoCommand(
        args,
        {
          out: { write: (s: string) => ((out += s), true) },
          err: { write: (s: string) => ((err += s), true) },
        },
        { env, config: () => loadConfig(env) },
      );
      return { code, out, err };
    },
    async messages(who) {
      const res = await fetch(`${base}/people/${encodeURIComponent(who)}/messages`);
      return ((await res.json()) as { value: Message[] }).value;
    },
    async post(who, verb, body) {
      const res = await fetch(`${base}/people/${encodeURIComponent(who)}/${verb}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { text?: string; error?: { text: string } };
      return { status: res.status, text: json.text ?? json.error?.text };
    },
    async stop() {
      await stack.stop();
    },
  };
}

/** Waits until `check` gives a value (polling, never asserting on time); fails after `limitMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  limitMs = 20_000,
): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
