import { spawn, type ChildProcess } from 'node:child_process';
import { assetPath } from '../../services/paths';
import { freePort } from './ports';

/**
 * A real bot server process (`mfa-bot serve`, demo mode unless the environment says otherwise),
 * so a test can run several against one store and kill one with SIGKILL.
 */
export class BotProcess {
  child: ChildProcess | undefined;
  private stderr = '';

  private constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly url: string,
  ) {}

  /**
   * Starts one on ports free a moment ago; if one was taken meanwhile (by any socket on the
   * machine), on fresh ones.
   */
  static async launch(env: Record<string, string>): Promise<BotProcess> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await BotProcess.launchOnce(env);
      } catch (err) {
        if (attempt >= 3 || !/EADDRINUSE/.test(String((err as Error).message))) throw err;
      }
    }
  }

  private static async launchOnce(env: Record<string, string>): Promise<BotProcess> {
    const port = await freePort();
    const bot = new BotProcess(
      {
        PORT: String(port),
        GRAPH_SIM_PORT: String(await freePort()),
        TEAMS_SIM_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        GRAPH_RETRY_BASE_MS: '20',
        USER_TURNS_PER_MINUTE: '10000',
        MicrosoftAppId: '',
        ...env,
      },
      `http://127.0.0.1:${port}`,
    );
    await bot.start();
    return bot;
  }

  async start(): Promise<void> {
    this.stderr = '';
    const child = spawn(
      process.execPath,
      ['--disable-warning=DEP0111', assetPath('dist', 'bot', 'cli.js'), 'serve'],
      {
        env: { ...process.env, ...this.env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr?.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString()).slice(-4000);
    });
    this.child = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`the bot exited (${child.exitCode}):\n${this.stderr}`);
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the bot did not start:\n${this.stderr}`);
  }

  /** What the process wrote to stderr lately (its warnings and errors). */
  get log(): string {
    return this.stderr;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
