import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createLogger, type Logger } from '../logger';
import { assetPath } from '../paths';
import { generatePractice } from '../directory/generate';
import { loadPractice } from '../directory/practice';
import { simCaPath } from './cert';
import { startGraphSim, type GraphSim } from './start';

/**
 * `mfa-bot graph-sim [--port N] [--practice FILE | --users N [--seed S]] [--data-dir DIR]
 * [--page-size N]`: runs the stand-in until SIGINT/SIGTERM.
 * Environment: GRAPH_SIM_PORT (default 3979), DATA_DIR (default ./data; state goes in graph-sim/).
 */

export const DEFAULT_GRAPH_SIM_PORT = 3979;

export interface GraphSimCliOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Stops the stand-in when aborted (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Called once the stand-in listens. */
  onReady?: (sim: GraphSim) => void;
}

const portText = (name: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a port number`)
    .transform(Number)
    .pipe(z.number().int().min(0, `${name} must be 0–65535`).max(65535, `${name} must be 0–65535`));

function parse<T>(schema: z.ZodType<T>, value: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(parsed.error.issues[0]!.message);
  return parsed.data;
}

export async function runGraphSimCli(
  args: string[],
  options: GraphSimCliOptions = {},
): Promise<void> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(env.LOG_LEVEL ?? 'info');
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      practice: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      'page-size': { type: 'string' },
    },
    strict: true,
  });
  const port =
    values.port !== undefined
      ? parse(portText('--port'), values.port)
      : env.GRAPH_SIM_PORT
        ? parse(portText('GRAPH_SIM_PORT'), env.GRAPH_SIM_PORT)
        : DEFAULT_GRAPH_SIM_PORT;
  const count = z.coerce.number().int().min(1).max(50_000);
  const practice = values.users
    ? generatePractice({
        users: parse(count, values.users),
        seed: values.seed ? parse(z.coerce.number().int(), values.seed) : undefined,
      })
    : loadPractice(values.practice ?? assetPath('services', 'directory', 'demo-practice.json'));
  const dataDir = values['data-dir'] ?? path.join(env.DATA_DIR ?? './data', 'graph-sim');
  const pageSizeText = values['page-size'];
  const pageSize = pageSizeText
    ? parse(z.coerce.number().int().min(1).max(999), pageSizeText)
    : undefined;

  const sim = await startGraphSim({ port, practice, dataDir, pageSize, logger });
  logger.info(
    { url: sim.baseUrl, caCert: path.resolve(simCaPath(dataDir)), users: sim.state.userCount },
    `Graph stand-in listening on ${sim.baseUrl}`,
  );
  options.onReady?.(sim);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
  });
  await sim.close();
  logger.info('Graph stand-in stopped');
}
