import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { AUTHENTICATOR_METHOD } from '../directory/types';
import type { MonitorStatus } from '../signins/status';
import type { DocumentStore } from '../storage/types';
import { runChecks } from './checks';
import {
  gatherInputs,
  type ReadinessDirectory,
  type ReadinessInputs,
  type ReadinessSettings,
} from './gather';
import type { PolicyReader } from './policy-reader';
import type { CoverageTally, ReadinessReport } from './report';

/**
 * Runs the readiness check: reads the tenant's settings (never changes them), evaluates each step
 * of the rollout plan, and keeps the latest report so the weekly digest can say what changed.
 */

export interface ReadinessDeps {
  policies: PolicyReader;
  directory: ReadinessDirectory;
  settings: ReadinessSettings;
  clock: Clock;
  logger: Logger;
  /** Where the latest report is kept; without it nothing is stored. */
  store?: DocumentStore;
  /** The sign-in monitor's state, for the "sign-in monitor on" check; without it, no such check. */
  monitor?: { status(): Promise<MonitorStatus | undefined> };
}

const REPORTS = 'readiness';
const LATEST = 'latest';

/** Staff who count: members (not guests) outside the never-nudge group, by what they registered. */
function coverageOf(inputs: ReadinessInputs): CoverageTally | null {
  if (!inputs.registrations.ok) return null;
  const excluded = new Set(
    inputs.exclusionGroup?.members.ok
      ? inputs.exclusionGroup.members.value.map((m) => m.id.toLowerCase())
      : [],
  );
  const tally: CoverageTally = { total: 0, authenticator: 0, other: 0, none: 0 };
  for (const r of inputs.registrations.value) {
    if (r.userType.toLowerCase() === 'guest' || excluded.has(r.id.toLowerCase())) continue;
    tally.total += 1;
    if (r.methodsRegistered.includes(AUTHENTICATOR_METHOD)) tally.authenticator += 1;
    else if (r.isMfaRegistered) tally.other += 1;
    else tally.none += 1;
  }
  return tally;
}

export class ReadinessService {
  private running: Promise<ReadinessReport> | undefined;

  constructor(private readonly deps: ReadinessDeps) {}

  /**
   * Reads the tenant and checks it now. Calls made while a check is running share its answer:
   * it reads Graph's tightly throttled registration report, and two admins asking at once want
   * the same thing.
   */
  run(): Promise<ReadinessReport> {
    this.running ??= this.check().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The latest report when it is at most `maxAgeMs` old, else a fresh one. */
  async recent(maxAgeMs: number): Promise<ReadinessReport> {
    const latest = await this.latest();
    const age = latest ? this.deps.clock.now().getTime() - Date.parse(latest.generatedAt) : NaN;
    return latest && age >= 0 && age <= maxAgeMs ? latest : this.run();
  }

  private async check(): Promise<ReadinessReport> {
    const inputs = await gatherInputs(this.deps);
    const report: ReadinessReport = {
      version: 1,
      generatedAt: this.deps.clock.now().toISOString(),
      checks: runChecks(inputs),
      coverage: coverageOf(inputs),
    };
    await this.deps.store?.put(REPORTS, LATEST, report);
    this.deps.logger.info(
      { statuses: Object.fromEntries(report.checks.map((c) => [c.id, c.status])) },
      'readiness checked',
    );
    return report;
  }

  /** The last report run, if any (for "what changed" and a panel that answers at once). */
  async latest(): Promise<ReadinessReport | undefined> {
    return (await this.deps.store?.get<ReadinessReport>(REPORTS, LATEST))?.value;
  }
}
