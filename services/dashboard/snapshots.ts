import type { Coverage, CoverageRow } from '../campaigns/coverage';
import { DAY, type Clock } from '../clock';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { DocumentStore } from '../storage/types';

/**
 * Coverage over time: one snapshot a day (overall and per role group counts, never names), taken
 * by a scheduler job, so the dashboard can draw the trend. A day's snapshot is replaced if the
 * job runs twice that day.
 */

const SNAPSHOTS = 'coverage-snapshots';

export interface Snapshot {
  /** YYYY-MM-DD (UTC). */
  date: string;
  computedAt: string;
  overall: CoverageRow;
  byRole: CoverageRow[];
  /** Things worth marking on the trend that are not campaigns of this bot (the demo's history). */
  events?: string[];
  source: 'daily' | 'demo-history';
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export class SnapshotStore {
  constructor(private readonly store: DocumentStore) {}

  async save(snapshot: Snapshot): Promise<void> {
    await this.store.put(SNAPSHOTS, snapshot.date, snapshot, { index: snapshot.date });
  }

  /** Snapshots from `since` (YYYY-MM-DD) on, oldest first. */
  async since(since: string): Promise<Snapshot[]> {
    return (await this.store.query<Snapshot>(SNAPSHOTS, { indexFrom: since })).map((d) => d.value);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.store.count(SNAPSHOTS)) === 0;
  }
}

function snapshotOf(coverage: Coverage, source: Snapshot['source'] = 'daily'): Snapshot {
  return {
    date: dayOf(new Date(coverage.computedAt)),
    computedAt: coverage.computedAt,
    overall: coverage.overall,
    byRole: coverage.byRole,
    source,
  };
}

export const SNAPSHOT_JOB = 'dashboard.snapshot';
const SNAPSHOT_JOB_ID = 'dashboard-snapshot';

export interface SnapshotDeps {
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  snapshots: SnapshotStore;
  /** Builds a fresh coverage report (a directory scan) and keeps it for "status" too. */
  rebuildCoverage(): Promise<Coverage>;
}

/**
 * Registers the daily snapshot job. The composition root calls `schedule()` at start: the first
 * snapshot is taken then, the next a day later, and so on across restarts.
 */
export function registerDailySnapshots(d: SnapshotDeps): { schedule(): Promise<void> } {
  d.scheduler.register(SNAPSHOT_JOB, async () => {
    // Tomorrow's first, so one failed scan never ends the daily round.
    await d.scheduler.schedule(
      SNAPSHOT_JOB,
      new Date(d.clock.now().getTime() + DAY),
      {},
      SNAPSHOT_JOB_ID,
    );
    try {
      await d.snapshots.save(snapshotOf(await d.rebuildCoverage()));
    } catch (err) {
      d.logger.warn(
        { err },
        'could not take the daily coverage snapshot; the next one is tomorrow',
      );
    }
  });
  return {
    async schedule() {
      if ((await d.scheduler.pending(SNAPSHOT_JOB)).length > 0) return;
      await d.scheduler.schedule(SNAPSHOT_JOB, d.clock.now(), {}, SNAPSHOT_JOB_ID);
    },
  };
}
