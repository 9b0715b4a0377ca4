import path from 'node:path';
import { buildApp, type BotApp } from './app';
import { DEMO_PRACTICE_PATH, type AppConfig } from './config';
import { startServer, type RunningServer } from './server';
import { startPlayground, type RunningPlayground } from './playground';
import { DEMO_BOT, DEMO_TIME_ZONE, demoLayout, playgroundConversations } from './demo-teams';
import { VERBS } from '../cards/verbs';
import { loadPractice } from '../services/directory/practice';
import { DEMO_TEAMS_APP, startGraphSim, type GraphSim } from '../services/graph-sim';
import type { Logger } from '../services/logger';
import { DemoTime } from '../services/teams-sim/demo-time';
import { startTeamsSim, type TeamsSim } from '../services/teams-sim';

export interface RunningStack {
  app: BotApp;
  server: RunningServer;
  graphSim?: GraphSim;
  teamsSim?: TeamsSim;
  playground?: RunningPlayground;
  stop(): Promise<void>;
}

/**
 * Runs the bot. In demo mode the whole practice runs on this machine: the Graph stand-in first
 * (the bot trusts its certificate), then the bot, then the demo's Teams for everyone but the
 * signed-in person, then (with `withPlayground`) the Agents Playground signed in as DEMO_USER.
 * All three share one demo clock. Once the playground's page is open, an IT member adds the bot
 * to the IT team (the demo's Teams does it; the page would not show anything posted before).
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
    if (config.mode !== 'demo') {
      const app = buildApp(config, { logger });
      stoppers.push(() => app.close());
      const server = await startServer(app);
      stoppers.push(() => server.close());
      app.start();
      return { app, server, stop };
    }
    const practice = loadPractice(DEMO_PRACTICE_PATH);
    const teamsDir = path.join(config.dataDir, 'teams-sim');
    const time = DemoTime.open(teamsDir);
    const graphSim = await startGraphSim({
      port: config.graphSimPort,
      practice,
      dataDir: path.join(config.dataDir, 'graph-sim'),
      clock: time.clock,
      logger: logger.child({ component: 'graph-sim' }),
    });
    stoppers.push(() => graphSim.close());
    const app = buildApp(config, { logger, clock: time.clock });
    stoppers.push(() => app.close());
    const server = await startServer(app);
    stoppers.push(() => server.close());
    const layout = withPlayground
      ? demoLayout(practice, config.demoUser, config.groups.it)
      : undefined;
    const teamsSim = await startTeamsSim({
      port: config.teamsSimPort,
      practice,
      time,
      dataDir: teamsDir,
      bot: { endpoint: `${server.url}/api/messages`, ...DEMO_BOT },
      appId: DEMO_TEAMS_APP.id,
      client: layout && {
        connectorUrl: `http://127.0.0.1:${config.playgroundPort}/_connector`,
        userId: layout.me.id.toLowerCase(),
        conversations: playgroundConversations(layout),
      },
      // The IT team has the bot from the start: tickets go to the channel it says hello in.
      itTeam: layout && { team: layout.team, addedBy: layout.itLead.id },
      accounts: graphSim.state,
      nudge: { setUp: VERBS.setupStart, later: VERBS.nudgeSnooze },
      timeZone: DEMO_TIME_ZONE,
      logger: logger.child({ component: 'demo-teams' }),
    });
    stoppers.push(() => teamsSim.close());
    let playground: RunningPlayground | undefined;
    if (layout) {
      playground = await startPlayground({
        port: config.playgroundPort,
        botEndpoint: teamsSim.clientEndpoint,
        serviceUrl: teamsSim.url,
        dataDir: config.dataDir,
        practice,
        layout,
        timeZone: DEMO_TIME_ZONE,
        logger,
      });
      stoppers.push(() => playground!.stop());
    }
    app.start();
    return { app, server, graphSim, teamsSim, playground, stop };
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
    `  Teams stand-in:  ${stack.teamsSim?.url ?? '-'} (everyone else in the practice)`,
  ];
  if (stack.playground) {
    lines.push(`  Signed in as:    ${config.demoUser} (change with DEMO_USER)`);
    lines.push('', `  Open ${stack.playground.url} in your browser and say "hi".`);
  }
  const me = config.demoUser.split('@')[0];
  const controls: Array<[string, string]> = [
    [`demo phone ${me} register`, 'scan the QR code (then: approve, deny or lose)'],
    ['demo time +1d', 'move the demo clock a day ahead'],
    ['demo messages <name>', 'what someone else got from the bot'],
    ['demo lost <name>', 'someone else reports a lost phone to IT'],
    ['demo help', 'everything else'],
  ];
  const width = Math.max(...controls.map(([command]) => command.length));
  lines.push(
    '',
    '  Play the rest of the practice from another terminal:',
    ...controls.map(([command, what]) => `    npx mfa-bot ${command.padEnd(width)}  ${what}`),
    '',
    '  Press Ctrl-C to stop.',
    '',
  );
  return lines.join('\n');
}
