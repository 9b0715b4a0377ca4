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
] as const;

/** RFC 4180 field; a leading =, +, - or @ is prefixed so spreadsheets don't run it as a formula. */
function field(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line per recipient, in name order. */
export function toCsv(rows: readonly OutboxRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  const sorted = [...rows].sort((a, b) => a.recipient.name.localeCompare(b.recipient.name) || a.recipient.upn.localeCompare(b.recipient.upn));
  for (const r of sorted) {
    lines.push(
      [
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
      ]
        .map(field)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
