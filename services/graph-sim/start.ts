import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import type { Practice } from '../directory/practice';
import { loadOrCreateCertificate } from './cert';
import { Faults } from './faults';
import { Limits } from './limits';
import { StateStore } from './persist';
import { RequestLog } from './request-log';
import { Router } from './router';
import { registerAuthMethods } from './routes/auth-methods';
import { registerMail } from './routes/mail';
import { registerPolicies } from './routes/policies';
import { registerReports } from './routes/reports';
import { registerRoleManagement } from './routes/role-management';
import { registerSignIns } from './routes/sign-ins';
import { registerSimControl } from './routes/sim-control';
import { registerSimSignIns } from './routes/sim-signins';
import { registerTeamwork } from './routes/teamwork';
import { registerUsers } from './routes/users';
import { handleRequest } from './server';
import { SimState } from './state';
import { DEFAULT_TAP_POLICY, type TapPolicy } from './tap';

/**
 * A local stand-in for the parts of Microsoft Graph the bot uses, over HTTPS on 127.0.0.1, with
 * Graph's JSON shapes, paging and errors. Tests start it in-process; `mfa-bot graph-sim` runs it.
 */

export interface GraphSimOptions {
  /** 0 picks a free port. */
  port?: number;
  practice: Practice;
  /** Where the certificate and the state file live; without it nothing is saved. */
  dataDir?: string;
  /** Server-driven page size for paged collections (Graph's $top overrides it). */
  pageSize?: number;
  tapPolicy?: Partial<TapPolicy>;
  clock?: Clock;
  logger?: Logger;
}

export interface GraphSim {
  port: number;
  /** https://localhost:PORT (no trailing slash, no version). */
  baseUrl: string;
  /** The certificate to trust for this server (it is self-signed). */
  caPem: string;
  state: SimState;
  faults: Faults;
  /** Graph's documented throttling, enforced when set (off by default). */
  limits: Limits;
  requests: RequestLog;
  close(): Promise<void>;
}

function checkPolicy(policy: TapPolicy): void {
  const { minLifetimeInMinutes: min, maxLifetimeInMinutes: max } = policy;
  const valid =
    Number.isInteger(min) &&
    Number.isInteger(max) &&
    min >= 10 &&
    max <= 43200 &&
    min <= policy.defaultLifetimeInMinutes &&
    policy.defaultLifetimeInMinutes <= max &&
    policy.length >= 8 &&
    policy.length <= 48;
  if (!valid) {
    throw new RangeError('tapPolicy: need 10 ≤ min ≤ default ≤ max ≤ 43200, length 8–48');
  }
}

export async function startGraphSim(options: GraphSimOptions): Promise<GraphSim> {
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? systemClock;
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 999) {
    throw new RangeError('pageSize must be an integer from 1 to 999');
  }
  const tapPolicy = { ...DEFAULT_TAP_POLICY, ...options.tapPolicy };
  checkPolicy(tapPolicy);
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  // TLS checks the certificate against the real time, whatever the stand-in's clock says.
  const cert = await loadOrCreateCertificate(options.dataDir, systemClock.now(), logger);
  const store = options.dataDir ? new StateStore(options.dataDir, logger) : null;
  const state = new SimState(options.practice, tapPolicy, clock, store, logger);
  const faults = new Faults();
  const limits = new Limits();
  const requests = new RequestLog();

  const graph = new Router();
  registerReports(graph, pageSize);
  registerUsers(graph, pageSize);
  registerAuthMethods(graph);
  registerTeamwork(graph);
  registerMail(graph);
  registerRoleManagement(graph);
  registerPolicies(graph);
  registerSignIns(graph, pageSize);
  const sim = new Router();
  registerSimControl(sim, { faults, limits, requests });
  registerSimSignIns(sim);

  let baseUrl = '';
  const handler = handleRequest({
    state,
    graph,
    sim,
    faults,
    limits,
    requests,
    logger,
    baseUrl: () => baseUrl,
  });
  const server = https.createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://localhost:${port}`;
  logger.debug({ url: baseUrl, users: state.userCount }, 'graph-sim listening');

  return {
    port,
    baseUrl,
    caPem: cert.cert,
    state,
    faults,
    limits,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
