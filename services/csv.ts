/**
 * CSV as spreadsheets open it (RFC 4180, CRLF), for every export the bot writes: the campaign
 * results (`mfa-bot campaign export`) and the dashboard's list of people.
 */

/**
 * What makes a spreadsheet read a cell as a formula (OWASP CSV injection, ASVS 1.2.10): a first
 * character of = + - @, tab, carriage return or NUL, and the same signs after leading whitespace
 * (Excel skips it) or in their full-width and small forms (Excel on East Asian systems reads
 * ＝ as =).
 */
const FORMULA_START = /^(?:[\t\r\0]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63])/;

/** One field; a cell a spreadsheet would run as a formula gets a leading ' so it stays text. */
export function csvField(value: string | number | null | undefined): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, each line ended with CRLF. */
export function csvDocument(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>,
): string {
  const lines = [header.join(','), ...rows.map((r) => r.map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
