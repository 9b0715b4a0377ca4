import { HOUR, MINUTE, DAY } from '../clock';

/** What the dashboard needs of the ticket store: the open tickets' kind and age, nothing else. */
export interface TicketSource {
  listOpen(): Promise<Array<{ kind: string; createdAt: string }>>;
}

export interface TicketSummary {
  open: number;
  /** Minutes the oldest open ticket has waited; undefined when none are open. */
  oldestMinutes?: number;
  /** Open tickets by age: under an hour, under a day, under a week, older. */
  byAge: Array<{ label: string; count: number }>;
  byKind: Array<{ kind: string; label: string; count: number }>;
}

const KIND_LABELS: Record<string, string> = {
  'lost-device': 'Lost or stolen phone',
  'hardware-token': 'Hardware token',
  'first-time-pass': 'First sign-in pass',
  help: 'Help with setup',
  'suspicious-sign-in': 'Suspicious sign-in',
};

const AGES = [
  { label: 'Under an hour', below: HOUR },
  { label: '1 to 24 hours', below: DAY },
  { label: '1 to 7 days', below: 7 * DAY },
  { label: 'Over a week', below: Infinity },
];

/** Counts only: the dashboard shows how many requests wait and how long, not who asked. */
export async function ticketSummary(source: TicketSource, now: Date): Promise<TicketSummary> {
  const open = await source.listOpen();
  const ages = open.map((t) => Math.max(0, now.getTime() - Date.parse(t.createdAt)));
  const byAge = AGES.map((a, i) => ({
    label: a.label,
    count: ages.filter((age) => age < a.below && (i === 0 || age >= AGES[i - 1]!.below)).length,
  }));
  const kinds = new Map<string, number>();
  for (const t of open) kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + 1);
  return {
    open: open.length,
    oldestMinutes: ages.length ? Math.floor(Math.max(...ages) / MINUTE) : undefined,
    byAge,
    byKind: [...kinds]
      .map(([kind, count]) => ({ kind, label: KIND_LABELS[kind] ?? kind, count }))
      .sort((a, b) => b.count - a.count),
  };
}
