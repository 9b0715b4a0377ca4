import path from 'node:path';
import { buildApp, type BotApp } from './app';
import { DEMO_PRACTICE_PATH, type AppConfig } from './config';
import { startServer, type RunningServer } from './server';
import { startPlayground, type RunningPlayground } from './playground';
import { loadPractice } from '../services/directory/practice';
import { startGraphSim, type GraphSim } from '../services/graph-sim';
import type { Logger } from '../services/logger';

export interface RunningStack {
  app: BotApp;
  server: RunningServer;
  graphSim?: GraphSim;
  playground?: RunningPlayground;
  stop(): Promise<void>;
}

/**
 * Runs the bot. In demo mode the Graph stand-in starts first (the bot trusts its certificate),
 * and with `withPlayground` the Agents Playground starts last, signed in as DEMO_USER.
 */
export async function startStack(
  config: AppConfig,
  logger: Logger,
  withPlayground: boolean,
): Promise<RunningStack> {
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) {
      await s().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
    }
  };
  try {
    let graphSim: GraphSim | undefined;
    const practice = config.mode === 'demo' ? loadPractice(DEMO_PRACTICE_PATH) : undefined;
    if (practice) {
      graphSim = await startGraphSim({
        port: config.graphSimPort,
        practice,
        dataDir: path.join(config.dataDir, 'graph-sim'),
        logger: logger.child({ component: 'graph-sim' }),
      });
      stoppers.push(() => graphSim!.close());
    }
    const app = buildApp(config, { logger });
    stoppers.push(() => app.close());
    const server = await startServer(app);
    stoppers.push(() => server.close());
    app.start();
    let playground: RunningPlayground | undefined;
    if (withPlayground && practice) {
      playground = await startPlayground({
        port: config.playgroundPort,
        botEndpoint: `${server.url}/api/messages`,
        dataDir: config.dataDir,
        practice,
        userPrincipalName: config.demoUser,
        itGroupId: config.groups.it,
        logger,
      });
      stoppers.push(() => playground!.stop());
    }
    return { app, server, graphSim, playground, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export function demoBanner(stack: RunningStack, config: AppConfig): string {
  const lines = [
    '',
    '  MFA onboarding bot: LOCAL DEMO, not for production.',
    '  Everything runs on this machine with a fictional practice; nothing reaches Microsoft 365.',
    '',
    `  Bot endpoint:    ${stack.server.url}/api/messages`,
    `  Graph stand-in:  ${stack.graphSim?.baseUrl ?? '-'}/v1.0/`,
  ];
  if (stack.playground) {
    lines.push(`  Signed in as:    ${config.demoUser} (change with DEMO_USER)`);
    lines.push('', `  Open ${stack.playground.url} in your browser and say "hi".`);
  }
  lines.push('', '  Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
