import fs from 'node:fs';
import { graphAuthProvider, type AccessTokenProvider } from '../services/directory/credentials';
import { GraphDirectory } from '../services/directory/graph';
import type { Logger } from '../services/logger';
import type { AppConfig } from './config';

/**
 * The Microsoft Graph client as the configuration describes it: the bot and the command line
 * (`mfa-bot readiness`) talk to the same tenant the same way.
 */
export function graphDirectory(
  config: AppConfig,
  logger: Logger,
  auth?: AccessTokenProvider,
): GraphDirectory {
  return new GraphDirectory({
    baseUrl: config.graph.baseUrl,
    authProvider:
      auth ?? graphAuthProvider({ ...config, loginCaCertPath: config.bot.loginCaCertPath }),
    caPem: config.graph.caCertPath ? readCa(config.graph.caCertPath) : undefined,
    timeoutMs: config.graph.timeoutMs,
    maxRetries: config.graph.maxRetries,
    retryBaseDelayMs: config.graph.retryBaseDelayMs,
    logger,
  });
}

function readCa(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the Graph CA certificate at ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
