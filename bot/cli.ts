#!/usr/bin/env node
import {
  loadConfig,
  storageSettings,
  ConfigError,
  type AppConfig,
  type StorageSettings,
} from './config';
import { createLogger, readableLogStream } from '../services/logger';

const HELP = `mfa-bot: Microsoft Authenticator onboarding bot for Microsoft Teams

Usage: mfa-bot <command> [options]

Commands:
  start              Run the bot. Without MicrosoftAppId: the local demo (bot, Graph stand-in
                     and the Agents Playground). With MicrosoftAppId: the production bot only.
  serve              Run the bot without the playground (demo mode still starts the stand-in).
  graph-sim          Run only the local Microsoft Graph stand-in with the demo practice.
  ask "<question>"   Show how the bot understands a question (--json for machine output;
                     with no question, reads one per line from stdin).
  package            Build the Teams app package (build/appPackage.zip) from the values in
                     env/.env.dev.TEMPLATE: \`npm run package -- --env-file env/.env.dev\`;
                     validates the manifest offline first.
  audit verify       Check the audit log against AUDIT_KEY and earlier heads (--db PATH,
                     --head <seq>:<hash> or --head FILE, repeatable); opens the database
                     read-only; prints "intact" or the first broken record and exits non-zero.
  audit export       Write audit records as JSON lines (--since YYYY-MM-DD [--out FILE
                     [--force]]); never replaces a file without --force.
  readiness [--json] [--fix <check>]
                     Check the tenant's MFA settings against the rollout plan (read-only).
                     Exit code: 0 ready to enforce, 1 not ready, 2 usage or configuration
                     error, 3 the check could not run (Microsoft 365 not answering, say).
  campaign export <id>
                     Write a nudge campaign's per-recipient results as CSV ([--out FILE]).
  demo <control>     Play the running local demo's practice: someone's phone (demo phone nora
                     register), the demo clock (demo time +1d), what others got, sign-ins for
                     the sign-in monitor (demo signins <upn> fatigue); demo help lists them all.
  help               Show this help.

Configuration comes from environment variables; see env.TEMPLATE and the README.`;

type Handler = (args: string[]) => Promise<number>;

const commands: Record<string, Handler> = {
  start: (args) => run(args, true),
  serve: (args) => run(args, false),
  'graph-sim': async (args) => {
    const { runGraphSimCli } = await import('../services/graph-sim');
    await runGraphSimCli(args);
    return 0;
  },
  ask: async (args) => {
    const { runAskCommand } = await import('../services/kb/cli');
    return runAskCommand(args, { stdin: process.stdin, stdout: process.stdout });
  },
  audit: async (args) => {
    const { runAuditCommand } = await import('../services/audit/cli');
    // Verify and export open the database read-only, whatever its journal mode.
    const { dataDir } = storageOrExit();
    return runAuditCommand(
      args,
      dataDir,
      { stdout: process.stdout, stderr: process.stderr },
      process.env,
    );
  },
  campaign: async (args) => {
    const { runCampaignCommand } = await import('../services/campaigns/cli');
    const { dataDir, journalMode } = storageOrExit();
    return runCampaignCommand(
      args,
      dataDir,
      { stdout: process.stdout, stderr: process.stderr },
      journalMode,
    );
  },
  readiness: async (args) => {
    const { runReadinessCommand } = await import('../services/readiness/cli');
    const { readinessCheck } = await import('./readiness-check');
    // Built only when the check runs, so --help works without a configuration.
    let check: ReturnType<typeof readinessCheck> | undefined;
    try {
      return await runReadinessCommand(
        args,
        { stdout: process.stdout, stderr: process.stderr },
        {
          readiness: {
            run: () => {
              const config = configOrExit();
              // Logs go to stderr, warnings only unless LOG_LEVEL asks: stdout is the report.
              const level = process.env.LOG_LEVEL ? config.logLevel : 'warn';
              check = readinessCheck(config, createLogger(level, process.stderr));
              return check.run();
            },
          },
        },
      );
    } finally {
      await check?.close();
    }
  },
  demo: async (args) => {
    const { runDemoCommand } = await import('./demo-cli');
    return runDemoCommand(
      args,
      { out: process.stdout, err: process.stderr },
      { env: process.env, config: configOrExit },
    );
  },
  package: async (args) => {
    const { runPackageCommand } = await import('../manifest/build');
    return runPackageCommand(args, process.env);
  },
  help: async () => {
    console.log(HELP);
    return 0;
  },
};

function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

const configOrExit = (): AppConfig => orExit(() => loadConfig());
/** The same database, in the same journal mode, as the running bot uses. */
const storageOrExit = (): StorageSettings => orExit(() => storageSettings());

async function run(_args: string[], withPlayground: boolean): Promise<number> {
  const config = configOrExit();
  // The demo runs in a terminal next to its banner: readable lines. Production: JSON lines.
  const logger = createLogger(
    config.logLevel,
    config.mode === 'demo' ? readableLogStream(process.stdout) : undefined,
  );
  for (const warning of config.startupWarnings) logger.warn(warning);
  const { demoBanner, startStack } = await import('./demo');
  const stack = await startStack(config, logger, withPlayground && config.mode === 'demo');
  if (config.mode === 'demo') console.log(demoBanner(stack, config));
  else logger.info({ url: stack.server.url }, 'bot listening');
  await new Promise<void>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      stack.stop().then(resolve, resolve);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  return 0;
}

async function main(): Promise<void> {
  const [name = 'help', ...args] = process.argv.slice(2);
  const key = name === '--help' || name === '-h' ? 'help' : name;
  const command = commands[key];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${HELP}`);
    process.exit(2);
  }
  process.exitCode = await command(args);
}

process.on('unhandledRejection', (reason) => {
  console.error('Unhandled rejection:', reason);
});

main().catch((err: unknown) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
