import type { Coverage } from '../campaigns/coverage';

const PEOPLE_CSV_COLUMNS = ['name', 'upn', 'role_groups', 'standing', 'as_of'] as const;

const STANDING_LABELS = { other: 'Another method only', none: 'No second method' } as const;

/**
 * What makes a spreadsheet read a cell as a formula (OWASP CSV injection): a first character of
 * = + - @, tab, carriage return or NUL, also after leading whitespace or in full-width and small
 * forms. The same rule as the campaign export.
 */
const FORMULA_START = /^(?:[\t\r\0]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63])/;

function field(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The people not on Authenticator, one line each in name order, as evidence of the rollout. */
export function peopleCsv(coverage: Pick<Coverage, 'computedAt' | 'notRegistered'>): string {
  const lines = [PEOPLE_CSV_COLUMNS.join(',')];
  for (const p of coverage.notRegistered) {
    lines.push(
      [p.name, p.upn, p.groups.join('; '), STANDING_LABELS[p.standing], coverage.computedAt]
        .map(field)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
