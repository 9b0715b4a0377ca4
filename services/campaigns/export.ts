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

/**
 * What makes a spreadsheet read a cell as a formula (OWASP CSV injection, ASVS 1.2.10): a first
 * character of = + - @, tab, carriage return or NUL, and the same signs after leading whitespace
 * (Excel skips it) or in their full-width and small forms (Excel on East Asian systems reads
 * ＝ as =).
 */
const FORMULA_START = /^(?:[\t\r\0]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63])/;

/** RFC 4180 field; a cell a spreadsheet would run as a formula gets a leading ' so it stays text. */
function field(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line per recipient, in name order. */
export function toCsv(rows: readonly OutboxRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  const sorted = [...rows].sort(
    (a, b) =>
      a.recipient.name.localeCompare(b.recipient.name) ||
      a.recipient.upn.localeCompare(b.recipient.upn),
  );
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
        r.checkedBy,
      ]
        .map(field)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
