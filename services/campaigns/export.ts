import { csvDocument } from '../csv';
import type { OutboxRow } from './model';

export const CSV_COLUMNS = [
  'recipient_id',
  'upn',
  'name',
  'groups',
  'state',
  'reason',
  'attempts',
  'last_attempt',
  'round',
  'clicks_setup',
  'clicks_snooze',
  'clicks_help',
  'registered_at',
  'checked',
] as const;

/** One line per recipient, in name order. */
export function toCsv(rows: readonly OutboxRow[]): string {
  const sorted = [...rows].sort(
    (a, b) =>
      a.recipient.name.localeCompare(b.recipient.name) ||
      a.recipient.upn.localeCompare(b.recipient.upn),
  );
  return csvDocument(
    CSV_COLUMNS,
    sorted.map((r) => [
      r.recipient.id,
      r.recipient.upn,
      r.recipient.name,
      r.recipient.groups.join('; '),
      r.state,
      r.reason,
      r.totalAttempts,
      r.lastAttemptAt,
      r.round,
      r.clicks.setup,
      r.clicks.snooze,
      r.clicks.help,
      r.registeredAt,
      r.checkedBy,
    ]),
  );
}
