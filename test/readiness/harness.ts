import { silentLogger } from '../../services/logger';
import { ManualClock } from '../../services/clock';
import { groupIdByName, GROUP_NAMES } from '../../services/directory/practice';
import type { GraphDirectory } from '../../services/directory/graph';
import { GraphPolicyReader } from '../../services/readiness/policy-reader';
import type { ReadinessSettings } from '../../services/readiness/gather';
import type {
  CheckId,
  CheckResult,
  GraphRequest,
  ReadinessReport,
} from '../../services/readiness/report';
import { ReadinessService, type ReadinessDeps } from '../../services/readiness/service';
import type { DocumentStore } from '../../services/storage/types';
import type { GraphSim } from '../../services/graph-sim';
import { call, demoPractice, directoryFor, startSim } from '../graph-sim/helpers';

/** The readiness check against a fresh Graph stand-in with the demo practice. */

export const EXCLUSIONS = groupIdByName(demoPractice(), GROUP_NAMES.mfaExclusions);

export interface ReadinessHarness {
  sim: GraphSim;
  directory: GraphDirectory;
  clock: ManualClock;
  service(
    settings?: Partial<ReadinessSettings>,
    store?: DocumentStore,
    monitor?: ReadinessDeps['monitor'],
  ): ReadinessService;
  run(settings?: Partial<ReadinessSettings>): Promise<ReadinessReport>;
  check(id: CheckId, settings?: Partial<ReadinessSettings>): Promise<CheckResult>;
  /** Changes the stand-in's policies through its control route. */
  policies(body: unknown): Promise<void>;
  tenant(body: unknown): Promise<void>;
  /** Sends a fix's Graph request to the stand-in instead of graph.microsoft.com. */
  apply(request: GraphRequest): Promise<number>;
}

export function withReadiness(): () => ReadinessHarness {
  let current: ReadinessHarness | undefined;
  beforeEach(async () => {
    const sim = await startSim();
    const directory = directoryFor(sim);
    const clock = new ManualClock('2026-03-02T09:12:00.000Z');
    const service = (
      settings: Partial<ReadinessSettings> = {},
      store?: DocumentStore,
      monitor?: ReadinessDeps['monitor'],
    ) =>
      new ReadinessService({
        policies: new GraphPolicyReader(directory.caller),
        directory,
        settings: { nudgeExcludeGroupId: EXCLUSIONS, tapLifetimeMinutes: 60, ...settings },
        clock,
        logger: silentLogger(),
        store,
        monitor,
      });
    const control = async (path: string, body: unknown) => {
      const res = await call(sim, 'PATCH', path, { token: null, body });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
    };
    current = {
      sim,
      directory,
      clock,
      service,
      run: (settings) => service(settings).run(),
      check: async (id, settings) =>
        (await service(settings).run()).checks.find((c) => c.id === id)!,
      policies: (body) => control('/_sim/policies', body),
      tenant: (body) => control('/_sim/tenant', body),
      apply: async (request) => {
        const url = request.url.replace('https://graph.microsoft.com', sim.baseUrl);
        return (await call(sim, request.method, url, { body: request.body })).status;
      },
    };
  });
  afterEach(async () => {
    await current?.directory.close();
    await current?.sim.close();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('the readiness harness is not running');
    return current;
  };
}

export const statuses = (report: ReadinessReport) =>
  Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
