import type { Coverage, CoverageRow } from '../campaigns/coverage';
import { DAY } from '../clock';
import { seededRandom } from '../prng';
import { dayOf, type Snapshot, type SnapshotStore } from './snapshots';

/**
 * A few weeks of made-up history for the local demo, so its trend chart shows something on the
 * first start: registrations climbing towards today's real numbers, faster after two earlier
 * nudges. The same coverage and day always give the same history. Demo mode only; each snapshot
 * says it is demo history.
 */

export const DEMO_HISTORY_DAYS = 42;
/** Days ago of the two earlier nudges the history marks. */
const NUDGES: ReadonlyArray<{ daysAgo: number; label: string }> = [
  { daysAgo: 28, label: 'Earlier nudge to everyone (demo history)' },
  { daysAgo: 14, label: 'Earlier deadline reminder (demo history)' },
];
/** Share of today's Authenticator users who registered during the history. */
const GAINED = 0.6;

export function demoHistory(current: Coverage, today: Date, days = DEMO_HISTORY_DAYS): Snapshot[] {
  const random = seededRandom(days * 7919 + current.overall.total);
  // How much of the climb happened on each day (index 0 = yesterday): more after each nudge.
  const weights = Array.from({ length: days }, (_, i) => {
    const daysAgo = i + 1;
    const afterNudge = NUDGES.some((n) => daysAgo <= n.daysAgo && daysAgo > n.daysAgo - 5);
    return 1 + (afterNudge ? 6 : 0) + random();
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const snapshots: Snapshot[] = [];
  let gained = 0;
  for (let i = 0; i < days; i += 1) {
    gained += weights[i]!;
    const share = gained / total;
    const daysAgo = i + 1;
    const date = new Date(today.getTime() - daysAgo * DAY);
    const events = NUDGES.filter((n) => n.daysAgo === daysAgo).map((n) => n.label);
    snapshots.push({
      date: dayOf(date),
      computedAt: new Date(Date.parse(`${dayOf(date)}T06:00:00.000Z`)).toISOString(),
      overall: earlier(current.overall, share),
      byRole: current.byRole.map((r) => earlier(r, share)),
      ...(events.length ? { events } : {}),
      source: 'demo-history',
    });
  }
  return snapshots.reverse();
}

/** A row as it was when `share` of the climb was still to come. */
function earlier(row: CoverageRow, share: number): CoverageRow {
  const missing = Math.round(row.authenticator * GAINED * share);
  const authenticator = row.authenticator - missing;
  const other = row.other + Math.round(missing * 0.3);
  return {
    name: row.name,
    total: row.total,
    authenticator,
    other,
    none: Math.max(0, row.total - authenticator - other),
  };
}

/** Stores the history once, on the demo's first start (when there are no snapshots at all). */
export async function seedDemoHistory(
  snapshots: SnapshotStore,
  coverage: () => Promise<Coverage>,
  today: Date,
): Promise<number> {
  if (!(await snapshots.isEmpty())) return 0;
  const history = demoHistory(await coverage(), today);
  for (const snapshot of history) await snapshots.save(snapshot);
  return history.length;
}
