import fs from 'node:fs';
import { graphAuthProvider, type AccessTokenProvider } from '../services/directory/credentials';
import { GraphDirectory } from '../services/directory/graph';
import type { Logger } from '../services/logger';
import type { AppConfig } from './config';

/**
 * Microsoft Graph as the configuration describes it: the bot and the command line
 * (`mfa-bot readiness`) talk to the same tenant the same way.
 */

/** The bot's own credential for Graph. */
export function graphAuthFor(config: AppConfig): AccessTokenProvider {
  return graphAuthProvider({ ...config, loginCaCertPath: config.bot.loginCaCertPath });
}

/** The CA Graph's certificate is checked against, when not the system's (a stand-in, say). */
export function readGraphCa(config: AppConfig): string | undefined {
  const file = config.graph.caCertPath;
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the Graph CA certificate at ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export function graphDirectory(
  config: AppConfig,
  logger: Logger,
  connection: { auth: AccessTokenProvider; caPem?: string } = {
    auth: graphAuthFor(config),
    caPem: readGraphCa(config),
  },
): GraphDirectory {
  return new GraphDirectory({
    baseUrl: config.graph.baseUrl,
    authProvider: connection.auth,
    caPem: connection.caPem,
    timeoutMs: config.graph.timeoutMs,
    maxRetries: config.graph.maxRetries,
    retryBaseDelayMs: config.graph.retryBaseDelayMs,
    logger,
  });
}
