import { Agent, fetch } from 'undici';
import { silentLogger } from '../../services/logger';
import { assetPath } from '../../services/paths';
import {
  GraphDirectory,
  staticTokenProvider,
  type GraphDirectoryOptions,
} from '../../services/directory/graph';
import { loadPractice, type Practice } from '../../services/directory/practice';
import { startGraphSim, type GraphSim, type GraphSimOptions } from '../../services/graph-sim';

/** Shared set-up for the stand-in and directory tests: a sim, raw HTTPS calls, a directory. */

export const DEMO_PATH = assetPath('services', 'directory', 'demo-practice.json');
export const NORA = 'nora.nguyen@riverbendfm.example';

export function demoPractice(): Practice {
  return loadPractice(DEMO_PATH);
}

export function startSim(options: Partial<GraphSimOptions> = {}): Promise<GraphSim> {
  return startGraphSim({ practice: demoPractice(), logger: silentLogger(), ...options });
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** One HTTPS call to the sim, trusting only its certificate. */
export async function call(
  sim: GraphSim,
  method: string,
  path: string,
  options: {
    body?: unknown;
    rawBody?: string;
    token?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpResult> {
  const agent = new Agent({ connect: { ca: sim.caPem } });
  try {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== null) headers.authorization = `Bearer ${options.token ?? 'test-token'}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const url = path.startsWith('https://') ? path : `${sim.baseUrl}${path}`;
    const encoded = options.body === undefined ? undefined : JSON.stringify(options.body);
    const response = await fetch(url, {
      method,
      headers,
      body: options.rawBody ?? encoded,
      dispatcher: agent,
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = {};
    }
    return { status: response.status, headers: response.headers as unknown as Headers, text, json };
  } finally {
    await agent.close();
  }
}

export function directoryFor(
  sim: GraphSim,
  options: Partial<GraphDirectoryOptions> = {},
): GraphDirectory {
  return new GraphDirectory({
    baseUrl: sim.baseUrl,
    authProvider: staticTokenProvider('test-token'),
    caPem: sim.caPem,
    retryBaseDelayMs: 5,
    logger: silentLogger(),
    ...options,
  });
}

export async function collect<T>(
  pages: AsyncIterable<T[]>,
): Promise<{ pages: number; items: T[] }> {
  let count = 0;
  const items: T[] = [];
  for await (const page of pages) {
    count += 1;
    items.push(...page);
  }
  return { pages: count, items };
}

export function userByUpn(practice: Practice, upn: string) {
  const user = practice.users.find((u) => u.userPrincipalName === upn);
  if (!user) throw new Error(`no user ${upn} in the practice`);
  return user;
}

export const REPORT = '/v1.0/reports/authenticationMethods/userRegistrationDetails';

/** Every test gets a fresh stand-in with the demo practice (small pages to exercise paging). */
export function withSim(pageSize = 20): { sim: () => GraphSim } {
  let current: GraphSim | undefined;
  beforeEach(async () => {
    current = await startSim({ pageSize });
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    sim: () => {
      if (!current) throw new Error('the stand-in is not running');
      return current;
    },
  };
}

export function errorOf(res: HttpResult): { code: string; message: string } {
  return res.json.error as { code: string; message: string };
}
