import type { Clock } from '../clock';
import type { DocumentStore } from '../storage/types';
import type { Ticket } from '../tickets/model';
import {
  summarize,
  type CheckId,
  type CheckStatus,
  type CoverageTally,
  type ReadinessReport,
} from './report';

/**
 * The weekly digest for admins who asked for it: how registration moved, which readiness checks
 * changed, and how many IT requests are open, in one card. This module assembles the data and
 * keeps the opt-ins and last week's snapshot; sending it is the bot's job.
 */

const SUBSCRIBERS = 'digest-subscribers';
const SNAPSHOTS = 'digest-snapshots';

export interface DigestSubscriber {
  /** The admin's Entra object id. */
  id: string;
  name: string;
  optedInAt: string;
}

/** Which admins want the digest. The caller checks the person is an admin before opting them in. */
export class DigestSubscriptions {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
  ) {}

  async optIn(admin: { id: string; name: string }): Promise<void> {
    const value: DigestSubscriber = {
      id: admin.id,
      name: admin.name,
      optedInAt: this.clock.now().toISOString(),
    };
    await this.store.put(SUBSCRIBERS, admin.id.toLowerCase(), value);
  }

  /** Whether they were opted in. */
  async optOut(adminId: string): Promise<boolean> {
    return this.store.delete(SUBSCRIBERS, adminId.toLowerCase());
  }

  async isOptedIn(adminId: string): Promise<boolean> {
    return (await this.store.get(SUBSCRIBERS, adminId.toLowerCase())) !== undefined;
  }

  async list(): Promise<DigestSubscriber[]> {
    return (await this.store.query<DigestSubscriber>(SUBSCRIBERS)).map((d) => d.value);
  }
}

/** What was true when a digest was assembled; the next week's digest compares against it. */
interface Snapshot {
  weekOf: string;
  takenAt: string;
  coverage: CoverageTally | null;
  statuses: Partial<Record<CheckId, CheckStatus>>;
}

interface ReadinessChange {
  id: CheckId;
  title: string;
  from: CheckStatus;
  to: CheckStatus;
  /** Toward pass (fail → attention counts as better). */
  better: boolean;
}

export interface WeeklyDigest {
  /** Monday of this week (UTC), YYYY-MM-DD. */
  weekOf: string;
  /** The week compared against; null for the first digest. */
  comparedWith: string | null;
  coverage: {
    now: CoverageTally | null;
    before: CoverageTally | null;
    /** More (or fewer) staff on Authenticator than then; null when either side is unknown. */
    authenticatorChange: number | null;
  };
  readiness: {
    ready: boolean;
    headline: string;
    blocking: Array<{ id: CheckId; title: string; reason: string }>;
    changes: ReadinessChange[];
  };
  tickets: {
    open: number;
    /** Privileged accounts or Entra admin roles: two people must confirm. */
    privileged: number;
  };
}

export interface DigestDeps {
  readiness: { run(): Promise<ReadinessReport> };
  tickets: { listOpen(): Promise<Ticket[]> };
  store: DocumentStore;
  clock: Clock;
}

const RANK: Record<CheckStatus, number> = { unknown: 0, fail: 0, attention: 1, pass: 2 };

export function weekOf(date: Date): string {
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return monday.toISOString().slice(0, 10);
}

export class DigestService {
  constructor(private readonly deps: DigestDeps) {}

  /**
   * Runs the readiness check, compares with the latest snapshot from an earlier week, and keeps
   * this week's. Assembling twice in one week compares with the same earlier week both times.
   */
  async assemble(): Promise<WeeklyDigest> {
    const { store, clock } = this.deps;
    const report = await this.deps.readiness.run();
    const week = weekOf(clock.now());
    const earlier = await store.query<Snapshot>(SNAPSHOTS, { indexBefore: week });
    const before = earlier.at(-1)?.value ?? null;
    const open = await this.deps.tickets.listOpen();
    const summary = summarize(report);
    const changes: ReadinessChange[] = [];
    for (const c of report.checks) {
      const from = before?.statuses[c.id];
      if (from && from !== c.status)
        changes.push({
          id: c.id,
          title: c.title,
          from,
          to: c.status,
          better: RANK[c.status] > RANK[from],
        });
    }
    const now = report.coverage;
    const then = before?.coverage ?? null;
    const snapshot: Snapshot = {
      weekOf: week,
      takenAt: clock.now().toISOString(),
      coverage: now,
      statuses: Object.fromEntries(report.checks.map((c) => [c.id, c.status])),
    };
    await store.put(SNAPSHOTS, week, snapshot, { index: week });
    return {
      weekOf: week,
      comparedWith: before?.weekOf ?? null,
      coverage: {
        now,
        before: then,
        authenticatorChange: now && then ? now.authenticator - then.authenticator : null,
      },
      readiness: {
        ready: summary.ready,
        headline: summary.headline,
        blocking: summary.blocking.map((c) => ({ id: c.id, title: c.title, reason: c.reason })),
        changes,
      },
      tickets: {
        open: open.length,
        privileged: open.filter((t) => t.privileged || t.adminRole).length,
      },
    };
  }
}
